import BertCore
import BertFormats
import Foundation

/// One target of a build: produce the artifact in the staged OUT, then verify it.
enum BuildStep {
    /// The step record (artifact files, verification, seconds) for `target`.
    static func run(_ target: BuildTarget, request: BuildRequest, into staged: StagedOutput, goldens: BuildGoldens,
                    progress: (String) -> Void) throws(BuildError) -> JSONValue {
        let started = Date()
        try produce(target, request: request, into: staged, goldens: goldens)
        let built = BuildReport.seconds(since: started)
        progress("\(target.rawValue): built in \(built) s")

        let verifyStarted = Date()
        var report: VerificationReport
        do {
            report = try VerifyUseCase.run(
                model: staged.path(target.modelPath), goldens: goldens.path,
                options: VerifyOptions(profile: target.profile, threads: request.threads, head: request.head))
        } catch { throw .step(target, error) }
        report.model = target.modelPath
        report.goldens = goldens.displayName
        let verified = BuildReport.seconds(since: verifyStarted)
        progress("\(target.rawValue): verified (\(target.profile.rawValue)) \(report.passed ? "pass" : "FAIL") in \(verified) s")

        return .object([
            ("target", .string(target.rawValue)),
            ("model", .string(target.modelPath)),
            ("passed", .bool(report.passed)),
            ("files", .array(try files(in: staged.path(target.folder), prefix: target.folder))),
            ("verification", BuildReport.jsonValue(report)),
            ("seconds", .object([("build", .double(built)), ("verify", .double(verified))])),
        ])
    }

    private static func produce(_ target: BuildTarget, request: BuildRequest, into staged: StagedOutput,
                                goldens: BuildGoldens) throws(BuildError) {
        let folder = staged.path(target.folder)
        switch target {
        case .safetensors:
            do {
                _ = try SafetensorsConversion.run(ConvertOptions(
                    input: request.source, output: folder, head: request.head, command: request.command))
            } catch { throw .step(target, error) }
        case .int8:
            // The goldens' inputs calibrate the weight clipping; the int8 verify profile is the gate.
            do {
                _ = try QuantizeUseCase.run(QuantizeOptions(
                    input: request.source, output: folder, head: request.head, calibration: goldens.path,
                    threads: request.threads, command: request.command))
            } catch { throw .step(target, error) }
        case .onnx, .onnxInt8:
            guard mkdir(folder, 0o755) == 0 else { throw .step(target, OutputError(path: folder, .writeFailed(errnoText()))) }
            do {
                _ = try ONNXExport.run(ONNXExportRequest(
                    input: request.source, output: staged.path(target.modelPath), head: request.head,
                    precision: target == .onnx ? .fp32 : .int8, command: request.command))
            } catch { throw .step(target, error) }
        }
    }

    /// Every file of an artifact folder, sorted, with size and sha256.
    private static func files(in folder: String, prefix: String) throws(BuildError) -> [JSONValue] {
        let names = (FileManager.default.subpaths(atPath: folder) ?? []).sorted()
        var records: [JSONValue] = []
        for name in names where FileBytes.exists(ModelFolder.join(folder, name)) {
            do {
                let digest = try FileDigest.sha256(ModelFolder.join(folder, name))
                records.append(.object([("path", .string(prefix + "/" + name)), ("bytes", .int(digest.byteCount)),
                                        ("sha256", .string(digest.hex))]))
            } catch { throw .step(nil, error) }
        }
        return records
    }
}
