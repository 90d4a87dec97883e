// SPDX-License-Identifier: MIT
import Foundation
import FuzzSupport
import Markup

/// Feed dates in every form the parser accepts (RFC 822 and its variants, ISO 8601, localised month
/// names, …): a date that is read prints as ISO 8601 and reads back as the same instant.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzDates(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    var input = FuzzInput(data, size)
    let text = String(decoding: input.rest(), as: UTF8.self)
    guard let date = DateParser.parse(text) else { return 0 }
    let printed = DateParser.iso8601String(date)
    require(DateParser.parse(printed) == date, "\(text) read as \(date) prints as \(printed), which reads differently")
    return 0
}
