// SPDX-License-Identifier: MIT
import Foundation

extension Feed {
    /// The normalised JSON of `feedwatch parse` (schema: testdata/feeds/README.md in the project's
    /// shared data): `{"feed": {…}, "items": [{…}]}`; missing values are `null`.
    public func normalisedJSON() -> [UInt8] {
        let textBytes = entries.reduce(0) { $0 + ($1.summary?.utf8.count ?? 0) + ($1.content?.utf8.count ?? 0) }
        var w = JSONWriter(capacity: 4096 + entries.count * 1024 + textBytes + textBytes / 8)
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
        for entry in entries { entry.write(to: &w) }
        w.endArray()
        w.endObject()
        w.raw("\n")
        return w.bytes
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
