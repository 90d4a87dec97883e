// SPDX-License-Identifier: MIT
import Foundation

/// Writes a working directory's `rules.conf` (`rules`) and `feedwatch.yaml`: `feeds` matched on their
/// own text (no article pages), every entry alerted from the first fetch on (unless `alertExisting`
/// is false), alerts to `alerts.jsonl`,
/// polled every `interval` when given; `extra` is YAML added at the top level (limits, stories). Returns
/// the configuration's path.
@discardableResult
func writeFeedTextSetup(
    in directory: String, rules: String, feeds: [String], interval: String? = nil, alertExisting: Bool = true, extra: String = ""
) throws -> String {
    try rules.write(toFile: directory + "/rules.conf", atomically: true, encoding: .utf8)
    var lines = ["state_dir: state", "rules: rules.conf", "defaults:"]
    if let interval { lines.append("  interval: \(interval)") }
    lines += ["  full_text: false", "  alert_existing: \(alertExisting)", "feeds:"] + feeds.map { "  - url: \($0)" }
    lines += ["sinks:", "  - type: file", "    path: alerts.jsonl"]
    let path = directory + "/feedwatch.yaml"
    try (lines.joined(separator: "\n") + "\n" + extra).write(toFile: path, atomically: true, encoding: .utf8)
    return path
}
