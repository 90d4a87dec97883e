// SPDX-License-Identifier: MIT

extension DateParser {
    /// Korean blog platforms' dates, in Korea Standard Time (UTC+9) as they imply:
    /// `2004년 05월 28일 01:31:15` (OnBlog) and `2004-05-25 오후 11:23:17` (Nate, 오전 = AM, 오후 = PM).
    static func korean(_ s: String) -> Int64? {
        let kst = 9 * 3600
        let numbers = s.split { !$0.isASCII || !$0.isNumber }.compactMap { Int($0) }
        if s.contains("년"), s.contains("월"), s.contains("일") {
            guard numbers.count == 6, numbers[3] < 24, numbers[4] < 60, numbers[5] <= 60 else { return nil }
            return instant(
                year: numbers[0], month: numbers[1], day: numbers[2],
                seconds: numbers[3] * 3600 + numbers[4] * 60 + numbers[5], offset: kst)
        }
        let morning = s.contains("오전")
        let afternoon = s.contains("오후")
        guard morning || afternoon, numbers.count == 6, (1...12).contains(numbers[3]) else { return nil }
        var hour = numbers[3] % 12
        if afternoon { hour += 12 }
        guard numbers[4] < 60, numbers[5] < 60 else { return nil }
        return instant(
            year: numbers[0], month: numbers[1], day: numbers[2], seconds: hour * 3600 + numbers[4] * 60 + numbers[5],
            offset: kst)
    }
}
