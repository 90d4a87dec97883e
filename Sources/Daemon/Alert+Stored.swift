// SPDX-License-Identifier: MIT
public import Alerts
public import Store

extension Alert {
    /// An alert as the sinks deliver it: its line as the store keeps it (as raised), with the story it
    /// was raised for.
    public init(stored json: String, story: StoryJoin?) throws {
        try self.init(jsonLine: json)
        self.story = story.map { StoryInfo(id: $0.key, copies: $0.copies) }
    }
}
