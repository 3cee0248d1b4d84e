/// Owns the C memory behind a tree of protobuf-c message structs (strings, arrays, messages) and
/// frees it all at once; the structs stay valid while the arena lives.
final class CArena {
    private var allocations: [UnsafeMutableRawPointer] = []

    deinit {
        for pointer in allocations { pointer.deallocate() }
    }

    /// A NUL-terminated copy of `text`.
    func string(_ text: String) -> UnsafeMutablePointer<CChar> {
        let utf8 = Array(text.utf8CString)
        return array(utf8)!
    }

    /// A copy of `values`, or nil when empty (protobuf-c reads no pointer for zero elements).
    func array<T>(_ values: [T]) -> UnsafeMutablePointer<T>? {
        guard !values.isEmpty else { return nil }
        let pointer = UnsafeMutablePointer<T>.allocate(capacity: values.count)
        pointer.initialize(from: values, count: values.count)
        allocations.append(UnsafeMutableRawPointer(pointer))
        return pointer
    }

    /// A message struct initialized by its protoc-c `__init` function, then filled by `fill`.
    func message<T>(_ initialize: (UnsafeMutablePointer<T>) -> Void, _ fill: (inout T) -> Void = { _ in })
        -> UnsafeMutablePointer<T> {
        let pointer = UnsafeMutablePointer<T>.allocate(capacity: 1)
        allocations.append(UnsafeMutableRawPointer(pointer))
        initialize(pointer)
        fill(&pointer.pointee)
        return pointer
    }

    /// An array of optional pointers, as protobuf-c's repeated message and string fields take.
    func pointers<T>(_ values: [UnsafeMutablePointer<T>]) -> UnsafeMutablePointer<UnsafeMutablePointer<T>?>? {
        array(values.map { Optional($0) })
    }
}
