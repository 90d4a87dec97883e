// SPDX-License-Identifier: MIT
public import Foundation

/// Limits that protect Feedwatch from hostile or broken servers. Each breach is a typed ``FetchError``
/// naming the URL and the limit.
public struct FetchLimits: Sendable, Equatable {
    /// Largest body accepted, counted after decompression (a gzip bomb stops here). Default 16 MiB.
    public var maximumBodyBytes = 16 << 20
    /// Default 10 s.
    public var connectTimeout: Duration = .seconds(10)
    /// Whole transfer, per hop. Default 60 s.
    public var totalTimeout: Duration = .seconds(60)
    /// A transfer slower than `lowSpeedBytesPerSecond` for `lowSpeedTime` is abandoned. Default
    /// 100 bytes/s for 15 s.
    public var lowSpeedBytesPerSecond = 100
    public var lowSpeedTime: Duration = .seconds(15)
    /// Default 5.
    public var maximumRedirects = 5

    public init() {}
}

/// An HTTP request.
public struct FetchRequest: Sendable {
    public enum Method: String, Sendable { case get = "GET", post = "POST" }

    public var url: String
    public var method: Method = .get
    /// Extra request headers.
    public var headers: [(name: String, value: String)] = []
    /// POST body.
    public var body: Data?
    /// Validators from the previous response, for a conditional GET.
    public var etag: String?
    public var lastModified: String?
    /// Follow redirects (recording each hop). Default true.
    public var followRedirects = true
    /// Decides its place in line when its host is busy. Default a feed poll.
    public var purpose = HostPoliteness.Purpose.feed
    public var limits = FetchLimits()

    public init(url: String) { self.url = url }
}
