// SPDX-License-Identifier: MIT
public import Foundation

/// Response header fields, looked up case-insensitively; repeated fields keep every value.
public struct HTTPHeaders: Sendable, Sequence {
    public private(set) var fields: [(name: String, value: String)] = []

    public init(_ fields: [(name: String, value: String)] = []) { self.fields = fields }

    mutating func append(name: String, value: String) { fields.append((name, value)) }

    /// The first value of `name`.
    public subscript(name: String) -> String? {
        // By index: a closure over the fields copied each (name, value) pair, strings retained and all.
        for index in fields.indices where Self.sameName(fields[index].name, name) { return fields[index].value }
        return nil
    }

    /// Every value of `name`.
    public func values(_ name: String) -> [String] {
        fields.filter { Self.sameName($0.name, name) }.map(\.value)
    }

    /// Header names compare ignoring ASCII case (RFC 9110, section 5.1), without allocating.
    static func sameName(_ a: String, _ b: String) -> Bool {
        guard a.utf8.count == b.utf8.count else { return false }
        if a == b { return true }
        var a = a, b = b
        return a.withUTF8 { a in
            b.withUTF8 { b in
                for (x, y) in zip(a, b) where x != y && x.asciiLowercased != y.asciiLowercased { return false }
                return true
            }
        }
    }

    public func makeIterator() -> IndexingIterator<[(name: String, value: String)]> { fields.makeIterator() }
}

/// One redirect that was followed.
public struct Redirect: Sendable, Equatable {
    public let url: String
    public let status: Int
    /// 301 and 308 move a resource for good; 302, 303 and 307 do not.
    public var isPermanent: Bool { status == 301 || status == 308 }
}

/// `Cache-Control` directives that matter to a poller.
public struct CacheControl: Sendable, Equatable {
    public var maxAge: Int?
    public var noCache = false
    public var noStore = false

    init(_ value: String?) {
        for directive in (value ?? "").split(separator: ",") {
            let parts = directive.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            switch parts.first {
            case "max-age"? where parts.count == 2: maxAge = Int(parts[1].trimmingCharacters(in: CharacterSet(charactersIn: "\"")))
            case "no-cache"?: noCache = true
            case "no-store"?: noStore = true
            default: continue
            }
        }
    }
}

/// A complete HTTP response, after any redirects.
public struct FetchResponse: Sendable {
    public let status: Int
    /// The URL that answered (after redirects).
    public let url: String
    /// Each redirect followed to get here, in order: the URL that redirected and its status.
    public let redirects: [Redirect]
    public let headers: HTTPHeaders
    /// The body, decompressed, as received: the parsers read these bytes without a copy.
    public let bodyBytes: [UInt8]

    /// When the answer arrived: what it says about time (`Retry-After` in seconds) counts from here.
    public let receivedAt: Date

    public init(status: Int, url: String, redirects: [Redirect], headers: HTTPHeaders, body: [UInt8], receivedAt: Date = Date()) {
        self.status = status
        self.url = url
        self.redirects = redirects
        self.headers = headers
        bodyBytes = body
        self.receivedAt = receivedAt
    }

    public var etag: String? { headers["ETag"] }
    public var lastModified: String? { headers["Last-Modified"] }
    public var cacheControl: CacheControl { CacheControl(headers["Cache-Control"]) }
    /// `Expires` as an instant; `nil` when absent or invalid.
    public var expires: Date? { headers["Expires"].flatMap(HTTPDate.parse) }
    public var contentType: String? { headers["Content-Type"] }

    /// The `charset` parameter of `Content-Type`.
    public var charset: String? {
        guard let contentType else { return nil }
        for parameter in contentType.split(separator: ";").dropFirst() {
            let pair = parameter.split(separator: "=", maxSplits: 1)
            if pair.count == 2, pair[0].trimmingCharacters(in: .whitespaces).lowercased() == "charset" {
                return pair[1].trimmingCharacters(in: CharacterSet(charactersIn: " \"'"))
            }
        }
        return nil
    }

    /// `Retry-After` as an instant: seconds from `now`, or an HTTP-date.
    public func retryAfter(now: Date = Date()) -> Date? {
        guard let value = headers["Retry-After"]?.trimmingCharacters(in: .whitespaces) else { return nil }
        if let seconds = Int(value), seconds >= 0 { return now.addingTimeInterval(TimeInterval(seconds)) }
        return HTTPDate.parse(value)
    }

    /// The response itself when its status is 2xx; otherwise a ``FetchError`` that names the status.
    public func requireSuccess() throws(FetchError) -> FetchResponse {
        guard !(200...299).contains(status) else { return self }
        throw statusError
    }

    /// The error that a status other than 2xx stands for, with its reason phrase.
    public var statusError: FetchError {
        let reason = Self.reasons[status].map { " (\($0))" } ?? ""
        return FetchError(.httpStatus(status), url: url, detail: "the server answered HTTP \(status)\(reason)")
    }

    /// Reason phrases of the statuses a feed fetcher meets (RFC 9110, section 15).
    private static let reasons: [Int: String] = [
        304: "not modified", 400: "bad request", 401: "unauthorized", 403: "forbidden", 404: "not found",
        405: "method not allowed", 406: "not acceptable", 408: "request timeout", 410: "gone: the resource was removed for good",
        429: "too many requests", 451: "unavailable for legal reasons", 500: "internal server error", 501: "not implemented",
        502: "bad gateway", 503: "service unavailable", 504: "gateway timeout",
    ]

    /// The first permanent redirect's target chain ends here: the URL a poller should store, or `nil`
    /// when some hop was temporary (RFC 9110: only 301/308 change the resource's URL).
    public var permanentURL: String? {
        guard !redirects.isEmpty, redirects.allSatisfy(\.isPermanent) else { return nil }
        return url
    }
}

/// HTTP-dates (RFC 9110, section 5.6.7): IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`) and the two
/// obsolete forms, rfc850 (`Sunday, 06-Nov-94 08:49:37 GMT`) and asctime (`Sun Nov  6 08:49:37 1994`).
/// Names are read in any case; every part must appear once and nothing else may, so a garbled header
/// is no date rather than a wrong one.
public enum HTTPDate {
    private static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
    private static let weekdays = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"]
    private static let longWeekdays = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"]

    public static func parse(_ text: String) -> Date? {
        var day: Int?, month: Int?, year: Int?, seconds: Int?
        var weekday = false, zone = false
        for token in text.split(whereSeparator: { $0 == " " || $0 == "," || $0 == "-" }) {
            let word = token.lowercased()
            if token.contains(":") {
                guard seconds == nil, let time = timeOfDay(token) else { return nil }
                seconds = time
            } else if let number = digits(token) {
                if day == nil, token.count <= 2, number >= 1 {
                    day = number
                } else if year == nil, token.count == 4 {
                    year = number
                } else if year == nil, token.count == 2 {
                    // RFC 9110: a two-digit year more than 50 years ahead is in the past century.
                    year = number < 70 ? 2000 + number : 1900 + number
                } else {
                    return nil
                }
            } else if month == nil, let index = months.firstIndex(of: word) {
                month = index + 1
            } else if !weekday, weekdays.contains(word) || longWeekdays.contains(word) {
                weekday = true
            } else if !zone, word == "gmt" || word == "utc" || word == "ut" {
                zone = true
            } else {
                return nil
            }
        }
        guard let day, let month, let year, let seconds, year >= 1 else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let components = DateComponents(year: year, month: month, day: day)
        // The calendar rolls 31 November over into December: such a day is no date.
        guard let midnight = calendar.date(from: components), calendar.component(.day, from: midnight) == day else { return nil }
        return midnight.addingTimeInterval(TimeInterval(seconds))
    }

    /// `hh:mm:ss` as seconds since midnight; a leap second (`:60`) is allowed.
    private static func timeOfDay(_ token: Substring) -> Int? {
        let parts = token.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 3, parts.allSatisfy({ $0.count == 2 }),
              let h = digits(parts[0]), let m = digits(parts[1]), let s = digits(parts[2]), h < 24, m < 60, s <= 60
        else { return nil }
        return h * 3600 + m * 60 + s
    }

    /// The value of one to four ASCII digits.
    private static func digits(_ token: Substring) -> Int? {
        guard (1...4).contains(token.count), token.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return Int(token)
    }

    /// `Sun, 06 Nov 1994 08:49:37 GMT`.
    public static func format(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second, .weekday], from: date)
        func two(_ v: Int?) -> String { String(format: "%02d", v ?? 0) }
        let year = String(c.year ?? 1970)
        return "\(weekdays[(c.weekday ?? 1) - 1].capitalized), \(two(c.day)) \(months[(c.month ?? 1) - 1].capitalized) "
            + String(repeating: "0", count: max(0, 4 - year.count)) + year + " "
            + "\(two(c.hour)):\(two(c.minute)):\(two(c.second)) GMT"
    }
}
