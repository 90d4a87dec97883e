// SPDX-License-Identifier: MIT
import Foundation
import Markup

extension Feed {
    /// The normalised JSON of `feedwatch parse` (docs/feed-json.md): `{"feed": {…}, "items": [{…}]}`;
    /// missing values are `null`.
    public func normalisedJSON() -> [UInt8] {
        var all: [UInt8] = []
        writeNormalisedJSON { all += $0 }
        return all
    }

    /// Streams the normalised JSON to `emit` in chunks of about 1 MiB, so that memory does not hold a
    /// second copy of a large feed.
    public func writeNormalisedJSON(_ emit: ([UInt8]) -> Void) {
        let chunk = 1 << 20
        var w = JSONWriter(capacity: chunk + 64 * 1024)
        w.beginObject()
        w.key("feed")
        w.beginObject()
        w.key("title"); w.string(title)
        w.key("link"); w.string(link)
        w.key("language"); w.string(language)
        w.key("updated"); w.string(updated.map(DateParser.iso8601String))
        w.key("format"); w.string(format.rawValue)
        w.endObject()
        w.key("items")
        w.beginArray()
        for entry in entries {
            entry.write(to: &w)
            if w.bytes.count >= chunk { w.drain(to: emit) }
        }
        w.endArray()
        w.endObject()
        w.raw("\n")
        w.drain(to: emit)
    }
}

extension Entry {
    func write(to w: inout JSONWriter) {
        w.beginObject()
        w.key("title"); w.string(title)
        w.key("link"); w.string(link)
        w.key("id"); w.string(id)
        w.key("published"); w.string(published.map(DateParser.iso8601String))
        w.key("updated"); w.string(updated.map(DateParser.iso8601String))
        w.key("author")
        if let author {
            w.beginObject()
            w.key("name"); w.string(author.name)
            w.key("email"); w.string(author.email)
            w.endObject()
        } else {
            w.null()
        }
        w.key("summary"); w.string(summary)
        w.key("content"); w.string(content)
        w.key("categories")
        w.beginArray()
        for category in categories { w.string(category) }
        w.endArray()
        w.key("enclosures")
        w.beginArray()
        for enclosure in enclosures {
            w.beginObject()
            w.key("url"); w.string(enclosure.url)
            w.key("type"); w.string(enclosure.type)
            w.key("length"); w.integer(enclosure.length)
            w.endObject()
        }
        w.endArray()
        w.endObject()
    }
}
