// SPDX-License-Identifier: MIT
public import Foundation

/// Alerts as people read them: one line (the stdout sink's `text` format) or a block of a few lines
/// (`feedwatch tail`), with the snippet's `**matches**` shown in colour on a terminal.
public enum AlertText {
    /// `2026-11-25T13:04:05Z [rule] Title — Feed <https://…>: snippet`
    public static func line(_ alert: Alert) -> String {
        "\(alert.ts) [\(alert.rule)] \(title(alert)) — \(feed(alert)) <\(alert.entry.url ?? "")>: \(alert.snippet)"
    }

    /// ```
    /// 2026-11-25 14:04:05  rule  Feed
    ///   Title
    ///   https://…
    ///   …snippet with **matches**…
    /// ```
    /// Times in the local time zone. With `colour`, ANSI styles replace the `**` marks.
    /// Feed-supplied text is shown on one line with control characters removed, so that a feed
    /// cannot move the cursor or restyle the terminal. `otherFeeds`: how many other feeds carry the
    /// story (its copies the store knows of), shown as "also in N feeds".
    public static func block(_ alert: Alert, colour: Bool, otherFeeds: Int = 0) -> String {
        let style = colour ? Style.ansi : Style.plain
        var lines = [
            style.dim(localTime(alert.ts)) + "  " + style.rule(printable(alert.rule)) + "  " + feed(alert),
            "  " + style.title(title(alert)),
        ]
        if let url = alert.entry.url { lines.append("  " + style.link(printable(url))) }
        let snippet = printable(alert.snippet)
        if !snippet.isEmpty { lines.append("  " + (colour ? highlighted(snippet, style) : snippet)) }
        if alert.source == .feed, let reason = alert.sourceError { lines.append("  " + style.dim("(matched the feed's text: \(printable(reason)))")) }
        if otherFeeds > 0 { lines.append("  " + style.dim(alsoIn(otherFeeds))) }
        return lines.joined(separator: "\n")
    }

    /// A story shown earlier has reached more feeds since: one line naming it.
    public static func moreCopies(_ alert: Alert, otherFeeds: Int, colour: Bool) -> String {
        let style = colour ? Style.ansi : Style.plain
        return style.dim("story of \(localTime(alert.ts))") + "  " + style.title(title(alert)) + "  " + style.dim(alsoIn(otherFeeds))
    }

    private static func alsoIn(_ feeds: Int) -> String { "also in \(feeds) \(feeds == 1 ? "feed" : "feeds")" }

    private static func title(_ alert: Alert) -> String { printable(alert.entry.title ?? alert.entry.url ?? "(untitled)") }
    private static func feed(_ alert: Alert) -> String { printable(alert.feed.title ?? alert.feed.url) }

    /// `text` on one line: control characters (escape included) and runs of white space become one space.
    public static func printable(_ text: String) -> String {
        if isPrintableASCII(text) { return text }
        var out = ""
        var pendingSpace = false
        for scalar in text.unicodeScalars {
            if isBlank(scalar) {
                pendingSpace = !out.isEmpty
                continue
            }
            if pendingSpace { out.unicodeScalars.append(" ") }
            pendingSpace = false
            out.unicodeScalars.append(scalar)
        }
        return out
    }

    /// A control character or white space (ASCII decided without Unicode's tables).
    private static func isBlank(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.value < 0x80 { return scalar.value <= 0x20 || scalar.value == 0x7F }
        return scalar.properties.generalCategory == .control || scalar.properties.isWhitespace
    }

    /// True when `text` is visible ASCII with single spaces inside only: already printable as it is.
    private static func isPrintableASCII(_ text: String) -> Bool {
        var afterSpace = true
        for byte in text.utf8 {
            if byte == 0x20 {
                if afterSpace { return false }
                afterSpace = true
            } else if byte > 0x20 && byte < 0x7F {
                afterSpace = false
            } else {
                return false
            }
        }
        return !afterSpace || text.isEmpty
    }

    /// The snippet with each `**word**` in the match style.
    private static func highlighted(_ snippet: String, _ style: Style) -> String {
        let parts = snippet.components(separatedBy: "**")
        return parts.enumerated().map { $0.offset % 2 == 1 && $0.offset < parts.count - 1 ? style.match($0.element) : $0.element }.joined()
    }

    /// `2026-11-25T13:04:05Z` as `2026-11-25 14:04:05` in the local zone; unreadable times as they are.
    public static func localTime(_ timestamp: String) -> String {
        guard let date = try? Date(timestamp, strategy: Date.ISO8601FormatStyle()) else { return timestamp }
        return localTime(date)
    }

    /// `date` as `2026-11-25 14:04:05` in the local zone.
    public static func localTime(_ date: Date) -> String {
        date.formatted(localFormat)
    }

    private static let localFormat = {
        var format = Date.VerbatimFormatStyle(
            format: "\(year: .defaultDigits)-\(month: .twoDigits)-\(day: .twoDigits) \(hour: .twoDigits(clock: .twentyFourHour, hourCycle: .zeroBased)):\(minute: .twoDigits):\(second: .twoDigits)",
            timeZone: .current, calendar: Calendar(identifier: .gregorian))
        format.locale = Locale(identifier: "en_US_POSIX")
        return format
    }()

    private struct Style: Sendable {
        var dim: @Sendable (String) -> String
        var rule: @Sendable (String) -> String
        var title: @Sendable (String) -> String
        var link: @Sendable (String) -> String
        var match: @Sendable (String) -> String

        static let plain = Style(dim: { $0 }, rule: { "[\($0)]" }, title: { $0 }, link: { $0 }, match: { "**\($0)**" })
        static let ansi = Style(
            dim: { "\u{1B}[2m\($0)\u{1B}[0m" }, rule: { "\u{1B}[1;35m\($0)\u{1B}[0m" }, title: { "\u{1B}[1m\($0)\u{1B}[0m" },
            link: { "\u{1B}[4;34m\($0)\u{1B}[0m" }, match: { "\u{1B}[1;33m\($0)\u{1B}[0m" })
    }
}
