import BertCore
import Foundation
import Synchronization

/// The name maps shipped in `formats/maps/` (one JSON file per source naming scheme), loaded by stem.
public enum NameMaps {
    /// Maps already loaded, by name: a reader asks for its map on every read.
    private static let loaded = Mutex<[String: NameMap]>([:])

    /// The map `formats/maps/<name>.json`, parsed once per process.
    public static func load(_ name: String) throws(GraphError) -> NameMap {
        if let map = loaded.withLock({ $0[name] }) { return map }
        let map = try parse(name)
        loaded.withLock { $0[name] = map }
        return map
    }

    private static func parse(_ name: String) throws(GraphError) -> NameMap {
        let path = "formats/maps/\(name).json"
        guard let url = Bundle.module.url(forResource: name, withExtension: "json", subdirectory: "maps"),
              let data = try? Data(contentsOf: url)
        else { throw GraphError(path: path, .invalidNameMap("not found in the installed resources")) }
        let json: JSONValue
        do { json = try StrictJSONParser.parse(data) } catch {
            throw GraphError(path: path, .invalidNameMap(error.description))
        }
        return try NameMap(json: json, name: name)
    }

}
