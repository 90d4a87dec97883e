// SPDX-License-Identifier: MIT
// Reading `sinks:` and `routes:`.
//
//   sinks[].type      file | stdout | exec | webhook
//   sinks[].name      any; default file:<path>, stdout, exec:<program>, webhook:<url>
//   file              path (default $LOGS_DIRECTORY/alerts.jsonl, else ./alerts.jsonl)
//   stdout            format: json | text (default json)
//   exec              command: [program, arg, …] (no shell); timeout (30s); attempts (8)
//   webhook           url (http/https); headers: {Name: value | {file: path} | {env: VAR}};
//                     timeout (30s); attempts (8)
//   routes            {rule name: [sink name, …]}
import Foundation
import Yams

extension ConfigurationReader {
    mutating func readSinks(_ node: Node) -> [SinkConfiguration] {
        guard case .sequence(let items) = node else {
            fail(at: node.mark, "`sinks` must be a list, each `- type: file`, `stdout`, `exec` or `webhook`")
            return []
        }
        var sinks: [SinkConfiguration] = []
        var names: [String: Int] = [:]
        for item in items {
            guard let entry = mapping(item, "a sink") else { continue }
            guard let typeNode = entry["type"], let type = string(typeNode, "type") else {
                if entry["type"] == nil { fail(at: item.mark, "a sink needs `type:` (file, stdout, exec or webhook)") }
                continue
            }
            guard let sink = readSink(type, entry, typeNode: typeNode, line: item.mark?.line ?? 1) else { continue }
            if let first = names[sink.name] {
                fail(at: item.mark, "a second sink named '\(sink.name)' (the first is at line \(first)): give one a different `name:`")
                continue
            }
            names[sink.name] = sink.line
            sinks.append(sink)
        }
        return sinks
    }

    private mutating func readSink(_ type: String, _ entry: Node.Mapping, typeNode: Node, line: Int) -> SinkConfiguration? {
        let common = ["type", "name"]
        var name: String?
        if let node = entry["name"] { name = string(node, "name") }
        switch type {
        case "file":
            var path = environment["LOGS_DIRECTORY"].flatMap { $0.isEmpty ? nil : ($0 as NSString).appendingPathComponent("alerts.jsonl") }
                ?? absolute("alerts.jsonl")
            for (key, value) in entry where !common.contains(key.string ?? "") {
                switch key.string {
                case "path": if let s = string(value, "path") { path = absolute(s) }
                default: unknown(key, in: "a file sink", known: common + ["path"])
                }
            }
            return SinkConfiguration(kind: .file(path: path), name: name, line: line)
        case "stdout":
            var format = SinkConfiguration.StdoutFormat.json
            for (key, value) in entry where !common.contains(key.string ?? "") {
                switch key.string {
                case "format":
                    guard let s = string(value, "format") else { continue }
                    if let f = SinkConfiguration.StdoutFormat(rawValue: s) { format = f } else { fail(at: value.mark, "format must be json or text, not '\(s)'") }
                default: unknown(key, in: "a stdout sink", known: common + ["format"])
                }
            }
            return SinkConfiguration(kind: .stdout(format: format), name: name, line: line)
        case "exec", "webhook":
            return readDeliverySink(type, entry, name: name, line: line, at: typeNode)
        default:
            fail(at: typeNode.mark, "sink type '\(type)' is not supported: use file, stdout, exec or webhook")
            return nil
        }
    }

    /// exec and webhook sinks, which deliver one alert at a time with a timeout and bounded attempts.
    private mutating func readDeliverySink(_ type: String, _ entry: Node.Mapping, name: String?, line: Int, at typeNode: Node) -> SinkConfiguration? {
        let known = type == "exec" ? ["type", "name", "command", "timeout", "attempts"] : ["type", "name", "url", "headers", "timeout", "attempts"]
        var command: [String]?
        var url: String?
        var headers: [WebhookHeader] = []
        var timeout: Duration?
        var attempts: Int?
        for (key, value) in entry where !["type", "name"].contains(key.string ?? "") {
            switch (type, key.string) {
            case ("exec", "command"):
                guard case .sequence(let parts) = value, !parts.isEmpty, parts.allSatisfy({ $0.scalar != nil }) else {
                    fail(at: value.mark, "`command` must be a list: [program, argument, …] (it runs without a shell)")
                    continue
                }
                command = parts.compactMap(\.string)
            case ("webhook", "url"):
                guard let s = string(value, "url") else { continue }
                let lower = s.lowercased()
                if (lower.hasPrefix("http://") || lower.hasPrefix("https://")) && URL(string: s)?.host != nil {
                    url = s
                } else {
                    fail(at: value.mark, "webhook url '\(s)' is not an http(s) URL")
                }
            case ("webhook", "headers"):
                headers = readHeaders(value)
            case (_, "timeout"):
                if let d = duration(value, "timeout") { timeout = d }
            case (_, "attempts"):
                if let n = integer(value, "attempts", 1...100) { attempts = n }
            default:
                unknown(key, in: "a\(type == "exec" ? "n exec" : " webhook") sink", known: known)
            }
        }
        let kind: SinkConfiguration.Kind
        if type == "exec" {
            guard let command else {
                if entry["command"] == nil { fail(at: typeNode.mark, "an exec sink needs `command: [program, argument, …]`") }
                return nil
            }
            kind = .exec(command: command)
        } else {
            guard let url else {
                if entry["url"] == nil { fail(at: typeNode.mark, "a webhook sink needs `url:`") }
                return nil
            }
            kind = .webhook(url: url, headers: headers)
        }
        var sink = SinkConfiguration(kind: kind, name: name, line: line)
        if let timeout { sink.timeout = timeout }
        if let attempts { sink.attempts = attempts }
        return sink
    }

    private mutating func readHeaders(_ node: Node) -> [WebhookHeader] {
        guard let pairs = mapping(node, "`headers`") else { return [] }
        var headers: [WebhookHeader] = []
        for (key, value) in pairs {
            guard let name = key.string, !name.isEmpty, name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }) else {
                fail(at: key.mark, "header name '\(key.string ?? "")' is not a valid HTTP header name")
                continue
            }
            if let literal = value.scalar?.string {
                headers.append(WebhookHeader(name: name, value: .literal(literal)))
            } else if let source = value.mapping, source.count == 1, let (kind, target) = source.first, let where_ = target.string {
                switch kind.string {
                case "file":
                    let file = absolute(where_)
                    if !FileManager.default.isReadableFile(atPath: file) {
                        fail(at: target.mark, "header '\(name)' reads its value from \(file), which cannot be read: create it, or fix the path")
                    }
                    headers.append(WebhookHeader(name: name, value: .file(file)))
                case "env":
                    if environment[where_] == nil {
                        fail(at: target.mark, "header '\(name)' reads its value from the environment variable \(where_), which is not set")
                    }
                    headers.append(WebhookHeader(name: name, value: .environment(where_)))
                default: fail(at: kind.mark, "a header value is text, {file: path} or {env: VARIABLE}")
                }
            } else {
                fail(at: value.mark, "a header value is text, {file: path} or {env: VARIABLE}")
            }
        }
        return headers
    }

    mutating func readRoutes(_ node: Node, sinks: [SinkConfiguration]) -> [String: [String]] {
        guard let pairs = mapping(node, "`routes`") else { return [:] }
        let names = Set(sinks.map(\.name))
        var routes: [String: [String]] = [:]
        for (key, value) in pairs {
            guard let rule = key.string, !rule.isEmpty else { continue }
            guard case .sequence(let items) = value, !items.isEmpty else {
                fail(at: value.mark, "route '\(rule)' must list sink names: [name, …]")
                continue
            }
            var targets: [String] = []
            for item in items {
                guard let target = item.string else { continue }
                if names.contains(target) {
                    targets.append(target)
                } else {
                    fail(at: item.mark, "route '\(rule)' names sink '\(target)', which is not configured; the sinks are \(names.sorted().joined(separator: ", "))")
                }
            }
            routes[rule] = targets
        }
        return routes
    }
}
