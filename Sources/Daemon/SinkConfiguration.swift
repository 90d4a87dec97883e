// SPDX-License-Identifier: MIT

/// Where alerts go: one entry of `sinks:`.
public struct SinkConfiguration: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// JSON lines appended to a file.
        case file(path: String)
        /// JSON lines (`json`) or one human line per alert (`text`) on stdout.
        case stdout(format: StdoutFormat)
        /// A program (argv, no shell) run per alert with the alert JSON on stdin.
        case exec(command: [String])
        /// An HTTP POST of the alert JSON.
        case webhook(url: String, headers: [WebhookHeader])
    }

    public enum StdoutFormat: String, Sendable, CaseIterable { case json, text }

    public var kind: Kind
    /// `name:`, else `file:<path>`, `stdout`, `exec:<program>` or `webhook:<url>`. The outbox keys
    /// undelivered alerts by it, so it stays the same across restarts while the sink does.
    public var name: String
    /// exec and webhook: how long one delivery may take. Default 30 s.
    public var timeout: Duration = .seconds(30)
    /// exec and webhook: attempts before an alert becomes a dead letter. Default 8. (file and stdout
    /// retry until they succeed.)
    public var attempts = 8
    /// 1-based line of the sink in the configuration file.
    public var line: Int

    public init(kind: Kind, name: String? = nil, line: Int) {
        self.kind = kind
        self.name = name ?? Self.defaultName(kind)
        self.line = line
    }

    static func defaultName(_ kind: Kind) -> String {
        switch kind {
        case .file(let path): "file:" + path
        case .stdout: "stdout"
        case .exec(let command): "exec:" + (command.first ?? "")
        case .webhook(let url, _): "webhook:" + url
        }
    }
}

/// A header a webhook sends; its value may come from a file or the environment so that secrets stay
/// out of the configuration (and out of every log line).
public struct WebhookHeader: Sendable, Equatable {
    public enum Value: Sendable, Equatable {
        case literal(String)
        /// The file's contents, without a trailing newline, read at each (re)load.
        case file(String)
        /// An environment variable of the daemon.
        case environment(String)
    }

    public var name: String
    public var value: Value
}
