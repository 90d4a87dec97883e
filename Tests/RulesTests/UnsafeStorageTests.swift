// SPDX-License-Identifier: MIT
import Testing
@testable import Rules

/// The buffers of UnsafeStorage.swift at their edges; the analyser's words at lengths around the
/// word buffer's first capacity and in spans that start unaligned.
struct UnsafeStorageTests {
    @Test(arguments: [1, 2, 8, 15, 16, 1000])
    func fixedBuffersHoldEveryIndexUpToTheLast(count: Int) {
        let buffer = FixedBuffer<Int32>(count: count, value: -1)
        #expect(buffer.count == count)
        #expect(buffer[0] == -1 && buffer[count - 1] == -1)
        for index in 0..<count { buffer[index] = Int32(index) }
        #expect((0..<count).allSatisfy { buffer[$0] == Int32($0) })
        buffer.fill(7)
        #expect(buffer[count - 1] == 7)
    }

    @Test func indexedResultsKeepEachSlot() {
        let results = IndexedResults<[String]>(count: 3, initial: [])
        results.store(2, ["c"])
        results.store(0, ["a"])
        #expect(results.values == [["a"], [], ["c"]])
        #expect(IndexedResults<Int>(count: 0, initial: 0).values.isEmpty)
    }

    @Test(arguments: [0, 1, 7, 8, 15, 63, 64, 65, 300])
    func wordsOfEveryLengthComeOutWhole(length: Int) {
        let word = String(repeating: "ü", count: length)
        let folded = String(repeating: "u", count: length)
        #expect(Analyzer.words(word) == (length == 0 ? [] : [folded]))
        #expect(Analyzer.words("x " + word + "!") == ["x"] + (length == 0 ? [] : [folded]))
        #expect(decodeUTF8(Array(word.utf8).span) == word)
    }

    @Test func byteTablesFindKeysFromAnySpan() {
        var table = ByteTable()
        let text = Array("..syria.".utf8)
        let id = table.insert("syria")
        #expect(table.lookup(text.span.extracting(2..<7)) == id)
        #expect(table.lookup(text.span.extracting(2..<6)) == nil)
        #expect(table.lookup(text.span.extracting(0..<0)) == nil)
        #expect(table.insert(text.span.extracting(2..<7)) == id)
        #expect(table.string(id) == "syria")
    }
}
