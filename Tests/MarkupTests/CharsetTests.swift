// SPDX-License-Identifier: MIT
import Testing
@testable import Markup

struct CharsetTests {
    private func decode(_ bytes: [UInt8], _ declared: String? = nil) -> String {
        String(decoding: Charset.utf8(from: bytes.span, declared: declared), as: UTF8.self)
    }

    @Test func validUTF8PassesThrough() {
        #expect(decode(Array("Zürich – 東京".utf8)) == "Zürich – 東京")
    }

    @Test func byteOrderMarksDecideTheEncoding() {
        #expect(decode([0xEF, 0xBB, 0xBF] + Array("abc".utf8), "windows-1252") == "abc")
        #expect(decode([0xFF, 0xFE, 0x41, 0x00, 0xE9, 0x00]) == "Aé")
        #expect(decode([0xFE, 0xFF, 0x00, 0x41, 0x00, 0xE9]) == "Aé")
        // UTF-16 without a BOM, recognised from `<?`.
        #expect(decode([0x3C, 0x00, 0x3F, 0x00]) == "<?")
    }

    @Test func invalidUTF8IsReadAsWindows1252OrReplacement() {
        // 0x92 is a curly apostrophe in windows-1252; 0x81 is undefined there.
        #expect(decode(Array("don".utf8) + [0x92] + Array("t".utf8)) == "don\u{2019}t")
        #expect(decode([0x41, 0x81, 0x42]) == "A\u{FFFD}B")
        // Latin-1 bytes in a UTF-8 document.
        #expect(decode([0x63, 0x61, 0x66, 0xE9]) == "café")
        // A truncated sequence at the end.
        #expect(decode([0x41, 0xE2, 0x82]) == "Aâ\u{201A}")
    }

    @Test func declaredLegacyCharsets() {
        #expect(decode([0x63, 0x61, 0x66, 0xE9, 0x80], "iso-8859-1") == "café€")
        #expect(decode([0xB3, 0xE2], "euc-kr") == "년")
        #expect(decode([0xC4, 0xE3, 0xBA, 0xC3], "gb2312") == "你好")
        #expect(decode([0x82, 0xA0], "shift_jis") == "あ")
    }

    @Test func undecodableBytesInALegacyCharsetBecomeReplacementCharacters() {
        #expect(decode([0x41, 0xFF, 0x42], "euc-kr") == "A\u{FFFD}B")
    }

    @Test func unknownCharsetFallsBackToUTF8() {
        #expect(decode(Array("héllo".utf8), "x-no-such-charset") == "héllo")
    }

    @Test func charsetFromContentType() {
        #expect(Charset.fromContentType("text/xml; charset=\"ISO-8859-1\"") == "ISO-8859-1")
        #expect(Charset.fromContentType("application/rss+xml;Charset=utf-8") == "utf-8")
        #expect(Charset.fromContentType("text/xml") == nil)
        #expect(Charset.fromContentType(nil) == nil)
        #expect(Charset.fromContentType("text/xml; foo=bar; charset=koi8-r") == "koi8-r")
        #expect(Charset.fromContentType("text/xml; charset=; charset=utf-8") == "utf-8", "an empty label is skipped")
        #expect(Charset.fromContentType("text/xml;;charset = 'windows-1252' ") == "windows-1252")
        #expect(Charset.fromContentType("text/xml; charset") == nil)
        #expect(Charset.fromContentType("text/xml; =utf-8") == nil)
        #expect(Charset.fromContentType("text/xml; charset==x") == "=x", "the value is everything after the first '='")
        #expect(Charset.fromContentType("charset=utf-8") == nil, "the media type itself is no parameter")
    }

    @Test func xmlDeclarationAndMeta() {
        let xml = Array("<?xml version='1.0' encoding='windows-1251'?><rss/>".utf8)
        #expect(Charset.xmlDeclaration(xml.span) == "windows-1251")
        let html = Array("<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=koi8-r\">".utf8)
        #expect(Charset.htmlMeta(html.span) == "koi8-r")
        let html5 = Array("<!doctype html><meta charset=Shift_JIS><p>".utf8)
        #expect(Charset.htmlMeta(html5.span) == "shift_jis")
    }

    @Test func declarationAttributesAreReadAsWritten() {
        func declared(_ text: String) -> String? { Charset.xmlDeclaration(Array(text.utf8).span) }
        #expect(declared(#"<?xml version="1.0" encoding = " ISO-8859-1 " ?><rss/>"#) == "ISO-8859-1")
        #expect(declared("<?xml version=\"1.0\" encoding=utf-8?><rss/>") == "utf-8")
        // A name inside another name or after the declaration's end is not the encoding.
        #expect(declared(#"<?xml version="1.0" xencoding="koi8-r"?><rss encoding="koi8-r"/>"#) == nil)
        #expect(declared(#"<?xml version="1.0" xencoding="koi8-r" encoding="gbk"?>"#) == "gbk")
        #expect(declared(#"<?xml version="1.0" encoding"#) == nil)
        #expect(declared(#"<rss encoding="koi8-r"/>"#) == nil)
        let late = "<?xml version=\"1.0\"" + String(repeating: " ", count: 300) + "encoding=\"koi8-r\"?>"
        #expect(declared(late) == nil)
        func meta(_ text: String) -> String? { Charset.htmlMeta(Array(text.utf8).span) }
        #expect(meta("<META name=x><META CHARSET='Windows-1251'>") == "windows-1251")
        #expect(meta("<meta name=description content=\"no charset here\"><meta charset=\"euc-kr\">") == "euc-kr")
        #expect(meta("<meta charset") == nil)
    }

    @Test func c1ControlsBecomeWindows1252Characters() {
        func decoded(_ text: String) -> String {
            C1Controls.decodedAsWindows1252(Array(text.utf8).span)
        }
        #expect(decoded("don\u{92}t") == "don\u{2019}t")
        #expect(decoded("plain") == "plain")
        #expect(decoded("\u{85}") == "\u{2026}")
        #expect(decoded("") == "")
    }
}
