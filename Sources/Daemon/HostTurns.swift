// SPDX-License-Identifier: MIT
import Fetching

/// Puts work in an order in which hosts take turns, so that one host with many feeds (whose polls
/// wait for its spacing) cannot take every poll slot while other hosts stand idle.
struct HostTurns {
    /// Host keys of the URLs seen (``HostKey``), so that a scheduling pass does not parse them again.
    private var keys: [String: String] = [:]

    private mutating func key(of url: String) -> String {
        if let key = keys[url] { return key }
        let key = HostKey.of(url)
        keys[url] = key
        return key
    }

    /// The first `limit` of `items` in turns: an item that is its host's n-th (counting first the
    /// host's `running` URLs) goes after every item that is some host's (n−1)-th; within a turn, the
    /// items keep their order.
    mutating func order<Item>(_ items: [Item], url: (Item) -> String, running: [String], limit: Int = .max) -> [Item] {
        var taken: [String: Int] = [:]
        for url in running { taken[key(of: url), default: 0] += 1 }
        var turns: [[Item]] = []
        for item in items {
            let host = key(of: url(item))
            let turn = taken[host, default: 0]
            taken[host] = turn + 1
            if turn >= turns.count { turns += repeatElement([], count: turn + 1 - turns.count) }
            turns[turn].append(item)
        }
        return Array(turns.joined().prefix(limit))
    }
}
