import Foundation
import TestSupport
import Testing

/// Replays Tests/Attacks (hostile files made by make_attacks.py): each must exit with its code,
/// print one line naming the problem, and leave nothing at the output path.
@Suite struct AttackTests {
    struct Attack: Decodable, CustomStringConvertible, Sendable {
        let path: String
        let exit: Int32
        let message: String
        let why: String
        var description: String { path }
    }

    static let folder = URL(fileURLWithPath: Fixtures.root).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Tests/Attacks").path

    static let attacks: [Attack] = {
        let data = FileManager.default.contents(atPath: folder + "/expected.json") ?? Data("[]".utf8)
        return (try? JSONDecoder().decode([Attack].self, from: data)) ?? []
    }()

    @Test func everyAttackIsListed() {
        #expect(Self.attacks.count >= 18)
    }

    @Test(arguments: attacks)
    func attackIsRefused(attack: Attack) throws {
        let dir = TempDirectory()
        let result = try CommandRunner.run(["convert", Self.folder + "/files/" + attack.path, "-o", dir.path + "/out"])
        #expect(result.status == attack.exit, "\(attack.why): \(result.stderr)")
        #expect(result.stderr.hasPrefix("bertconv: error: "))
        #expect(result.stderr.contains(attack.message), "\(attack.why): \(result.stderr)")
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1 || (lines.count == 2 && lines[1].hasPrefix("hint: ")))
        #expect(dir.contents.isEmpty)
    }
}
