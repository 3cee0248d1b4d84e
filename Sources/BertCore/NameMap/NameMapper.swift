/// Applies a name map to a reader's tensors with a totality check: every source tensor is mapped
/// once or skipped with a reason, and no canonical name is filled twice.
public enum NameMapper {
    /// The mapped and skipped tensors of `source`.
    public static func map(_ source: ModelSource, with map: NameMap) throws(GraphError)
        -> (tensors: [CanonicalTensor], skipped: [SkippedTensor]) {
        var unmapped: [String] = []
        var skipped: [SkippedTensor] = []
        var candidates: [String: [(preference: Int, tied: Bool, tensor: CanonicalTensor)]] = [:]
        for tensor in source.tensors {
            switch map.resolve(tensor.name) {
            case nil:
                unmapped.append(tensor.name)
            case .skipped(let reason):
                skipped.append(SkippedTensor(source: tensor.name, reason: reason))
            case .mapped(let canonical, let transform, let tied, let preference):
                guard let shape = transform.apply(to: tensor.shape) else {
                    throw GraphError(path: source.path, .transformFailed(
                        tensor: tensor.name, transform: transform.description, shape: tensor.shape))
                }
                let mapped = CanonicalTensor(name: canonical, source: tensor, transform: transform, shape: shape)
                candidates[canonical, default: []].append((preference, tied, mapped))
            }
        }
        guard unmapped.isEmpty else { throw GraphError(path: source.path, .unmappedTensors(unmapped)) }
        var tensors: [CanonicalTensor] = []
        for (canonical, group) in candidates {
            let ordered = group.sorted { $0.preference < $1.preference }
            if ordered.count > 1 && !ordered[0].tied {
                throw GraphError(path: source.path, .duplicateTarget(
                    canonical: canonical, sources: ordered.map(\.tensor.source.name)))
            }
            tensors.append(ordered[0].tensor)
            for copy in ordered.dropFirst() {
                skipped.append(SkippedTensor(
                    source: copy.tensor.source.name, reason: "tied copy of '\(ordered[0].tensor.source.name)'"))
            }
        }
        return (tensors.sorted { $0.name < $1.name }, skipped)
    }
}
