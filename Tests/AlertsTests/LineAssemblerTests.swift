// SPDX-License-Identifier: MIT
import Alerts
import Testing

struct LineAssemblerTests {
    @Test(arguments: [1, 2, 3, 7, 64])
    func piecesOfAnySizeGiveTheSameLines(pieceSize: Int) {
        let text = Array("first\nsecond line\n\nüñí\u{FFFD}code\npartial".utf8)
        var assembler = LineAssembler()
        var lines: [String] = []
        for start in stride(from: 0, to: text.count, by: pieceSize) {
            lines += assembler.lines(completedBy: text[start..<min(text.count, start + pieceSize)])
        }
        #expect(lines == ["first", "second line", "", "üñí\u{FFFD}code"])
        #expect(assembler.pendingByteCount == "partial".utf8.count)
        assembler.reset()
        #expect(assembler.pendingByteCount == 0)
        #expect(assembler.lines(completedBy: Array("\n".utf8)) == [""])
    }

    @Test func invalidBytesAreReplacedNotDropped() {
        var assembler = LineAssembler()
        #expect(assembler.lines(completedBy: [0x61, 0xFF, 0x62, 0x0A]) == ["a\u{FFFD}b"])
    }
}
