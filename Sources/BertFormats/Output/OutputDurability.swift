import Synchronization

/// Whether outputs are flushed to disk before they are renamed into place. Off by default, as for
/// `cp` and `save_pretrained`: staging and the rename already mean a failed or killed command leaves
/// nothing half-written; `--fsync` adds durability across a power loss or kernel crash.
public enum OutputDurability {
    private static let flag = Atomic<Bool>(false)

    /// Flush every output file and its folder (set once by the CLI from `--fsync`).
    public static var syncToDisk: Bool {
        get { flag.load(ordering: .relaxed) }
        set { flag.store(newValue, ordering: .relaxed) }
    }
}
