// SPDX-License-Identifier: MIT
import Testing
@testable import Markup

/// The unsafe primitives of ByteScanning.swift at their edges: empty input, 1 to 15 bytes, starts that
/// are not eight-byte aligned, and the last byte of the buffer.
struct ByteScanningTests {
    /// `count` bytes of `filler` at an offset of `shift` bytes into a larger array, so that the span
    /// starts unaligned.
    private func bytes(_ count: Int, shift: Int, filler: UInt8 = UInt8(ascii: "a")) -> [UInt8] {
        [UInt8](repeating: 0xEE, count: shift) + [UInt8](repeating: filler, count: count)
    }

    @Test(arguments: 0...15)
    func wordsLoadLittleEndianAtEveryOffset(shift: Int) {
        let all = Array(0..<UInt8(40))
        let span = all.span.extracting(shift..<40)
        for offset in 0...(span.count - 8) {
            let expected = (0..<8).reduce(UInt64(0)) { $0 | UInt64(span[offset + $1]) << (8 * UInt64($1)) }
            #expect(loadWord(span, at: offset) == expected)
        }
    }

    @Test(arguments: 0...16)
    func firstIndexFindsTheFirstOccurrenceAtEveryPlace(count: Int) {
        for shift in [0, 1, 3, 7] {
            let array = bytes(count, shift: shift)
            let span = array.span.extracting(shift...)
            #expect(firstIndex(of: UInt8(ascii: "<"), in: span) == nil)
            for place in 0..<count {
                var marked = array
                marked[shift + place] = UInt8(ascii: "<")
                if place + 1 < count { marked[shift + count - 1] = UInt8(ascii: "<") }  // a later one too
                let markedSpan = marked.span.extracting(shift...)
                #expect(firstIndex(of: UInt8(ascii: "<"), in: markedSpan) == place, "count \(count) shift \(shift) place \(place)")
                #expect(firstIndex(of: UInt8(ascii: "<"), in: markedSpan, from: place + 1) == (place + 1 < count ? count - 1 : nil))
            }
        }
    }

    @Test func needlesAreFoundAtTheStartTheEndAndNotPastIt() {
        let text = Array("--><SCRIPT>x</script>-->".utf8)
        let span = text.span
        #expect(find(Array("-->".utf8), in: span) == 0)
        #expect(find(Array("-->".utf8), in: span, from: 1) == text.count - 3)
        #expect(find(Array("-->".utf8), in: span, from: text.count - 2) == nil)
        #expect(find(Array("</script".utf8), in: span) == 12)
        #expect(find(Array("<script".utf8), in: span) == nil)
        #expect(find(Array("<script".utf8), in: span, caseInsensitive: true) == 3)
        #expect(find([], in: span, from: 5) == 5)
        #expect(find(Array("x".utf8), in: [UInt8]().span) == nil)
        #expect("type: application/LD+JSON".containsASCIICaseInsensitive("ld+json"))
        #expect(!"json".containsASCIICaseInsensitive("ld+json"))
    }

    @Test(arguments: [0, 1, 7, 8, 9, 15, 16, 100])
    func textOutputWritesExactlyItsCapacity(capacity: Int) {
        let run = Array(repeating: UInt8(ascii: "x"), count: capacity)
        let text = makeString(capacity: capacity) { out in out.append(run: run.span) }
        #expect(text == String(repeating: "x", count: capacity))
        let spaced = makeString(capacity: 3) { out in
            out.append(UInt8(ascii: "a"))
            out.space()
            out.space()
            out.append(run: Array("b".utf8).span)
            out.append(run: [UInt8]().span)
        }
        #expect(spaced == "a b")
    }

    @Test func copiesAndDecodingHandleEmptyAndPartialSpans() {
        let array = Array("héllo".utf8)
        #expect(decodeUTF8(array.span.extracting(0..<0)) == "")
        #expect(decodeUTF8(array.span.extracting(0..<2)) == "h\u{FFFD}")
        #expect(copyBytes(array.span.extracting(array.count...)) == [])
        var out: [UInt8] = [1]
        appendBytes(array.span.extracting(4...), to: &out)
        #expect(out == [1] + Array("lo".utf8))
    }
}
