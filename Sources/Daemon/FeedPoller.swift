// SPDX-License-Identifier: MIT
import Alerts
import FeedParsing
import Fetching
import Foundation
import Logging
import Store

/// One poll of one feed, down the pipeline: fetch (conditional) → parse → new entries → article text →
/// match → the store, in one transaction with the alerts. Never throws: whatever goes wrong is this
/// feed's error, recorded with its next try.
struct FeedPoller: Sendable {
    let client: HTTPClient
    let store: any Store
    let logger: Logger
    let metrics: Metrics
    /// What the next poll counts from: the arrival of the answer, on the engine's clock.
    let clock: any WallClock

    /// What a poll did, for status lines and `once`'s summary.
    struct Outcome: Sendable {
        var record: FeedRecord?
        var newEntries = 0
        var alerts = 0
        var failure: PollFailure?
        /// What the poll learnt when the store could not keep it.
        var unsaved: PollResult?
    }

    /// What the answer says about the next poll (`Retry-After`, `max-age`, backoff) counts from when
    /// the answer arrived, after any wait for the host's turn.
    func poll(
        _ feed: FeedConfiguration, _ record: FeedRecord, rules: RuleSet, routing: SinkRouting, stories: StorySettings?,
        archive: ArchivePolicy?
    ) async -> Outcome {
        var request = FetchRequest(url: record.url)
        request.etag = record.etag
        request.lastModified = record.lastModified
        request.purpose = .feed
        let fetchStart = ContinuousClock.now
        let fetched = await client.outcome(of: request)
        let now = fetched.response?.receivedAt ?? clock.now
        metrics.observe(.fetch, since: fetchStart)
        let url = fetched.response?.permanentURL ?? record.url
        if url != record.url { logger.notice("feed moved permanently; polling the new URL from now on", metadata: ["feed.url": "\(feed.url)", "feed.new_url": "\(url)"]) }
        let response: FetchResponse
        switch fetched {
        case .fresh(let answer):
            response = answer
        case .notModified(let answer):
            metrics.fetched(.notModified)
            let next = PollSchedule.afterSuccess(now: now, settings: feed.settings, cache: Self.cacheHints(answer), feed: PollingHints())
            let poll = PollResult(of: record, url: url, etag: answer.etag ?? record.etag,
                                  lastModified: answer.lastModified ?? record.lastModified, nextDue: next, now: now)
            return await save(poll, feed)
        case .gone:
            metrics.fetched(.gone)
            logger.error("feed is gone (HTTP 410): it is retired and no longer polled; remove it from the configuration",
                         metadata: ["feed.url": "\(feed.url)"])
            return await failed(feed, record, .gone, url: url, retired: true, now: now)
        case .retryLater(let answer, let notBefore):
            metrics.fetched(.httpError)
            return await failed(feed, record, .fetch(answer.statusError), url: url, retryAfter: notBefore, now: now)
        case .failed(let error, let answer):
            metrics.fetched(answer == nil ? .networkError : .httpError)
            return await failed(feed, record, .fetch(error), url: url, now: now)
        }
        let parsed: Feed
        let parseStart = ContinuousClock.now
        do {
            parsed = try FeedParser.parse(response.bodyBytes, source: .init(url: response.url) { response.headers[$0] })
            metrics.observe(.parse, since: parseStart)
            metrics.fetched(.ok, bytes: response.bodyBytes.count)
        } catch {
            metrics.fetched(.unparsable, bytes: response.bodyBytes.count)
            return await failed(feed, record, .unparsable(url: response.url, error), url: url, now: now)
        }
        let next = PollSchedule.afterSuccess(now: now, settings: feed.settings, cache: Self.cacheHints(response), feed: parsed.hints)
        var poll = PollResult(of: record, url: url, title: parsed.title, etag: response.etag,
                              lastModified: response.lastModified, nextDue: next, now: now)
        let mode = feed.settings.identity
        let fingerprints = parsed.entries.map(\.fingerprint)
        let fresh: [Int]
        do {
            // A feed never fetched has nothing stored to compare with.
            if record.initialized {
                fresh = try await store.unseen(fingerprints, feedID: record.id, mode: mode)
            } else {
                fresh = EntryFingerprint.distinct(fingerprints, mode: mode)
            }
        } catch {
            // Logged by the outage it starts, once.
            logger.debug("the state database could not be read for a poll", metadata: ["feed.url": "\(feed.url)", "error": "\(error)"])
            return Outcome(record: record, failure: .store(error))
        }
        poll.seen = fresh.map { fingerprints[$0] }
        var storyEntries: [String] = []
        let source = AlertSource(feedURL: feed.url, feedTitle: feed.name ?? parsed.title, mode: mode, routing: routing)
        if record.initialized || feed.settings.alertExisting {
            let matched = await withTaskGroup(of: (Int, MatchedEntry).self) { group in
                for index in fresh {
                    group.addTask { (index, await matches(for: parsed.entries[index], fingerprints[index], feed, source, rules, stories != nil, now)) }
                }
                return await group.reduce(into: [:]) { $0[$1.0] = $1.1 }
            }
            // In feed order, so the story a copy begins is the same whatever order the tasks ended in.
            for index in fresh {
                guard let entry = matched[index] else { continue }
                if archive != nil { poll.archive.append(entry.archived) }
                var alerts = entry.alerts
                if let stories, let sketch = entry.sketch {
                    let key = StableHash.hex(feed.url + "\n" + entry.archived.key)
                    for i in alerts.indices {
                        alerts[i].story = poll.stories.count
                        alerts[i].everyCopy = stories.everyCopy.contains(alerts[i].rule)
                    }
                    poll.stories.append(StoryCopy(key: key, sketch: sketch))
                    storyEntries.append(parsed.entries[index].link ?? parsed.entries[index].id ?? "")
                }
                poll.alerts += alerts
            }
            poll.storyPolicy = stories?.policy
            poll.archivePolicy = archive
        } else if !fresh.isEmpty {
            logger.info("first fetch: \(fresh.count) \(fresh.count == 1 ? "entry" : "entries") recorded as seen without alerting",
                        metadata: ["feed.url": "\(feed.url)"])
            if let archive {
                poll.archive = fresh.map { Self.firstFetchArchive(parsed.entries[$0], fingerprints[$0], source) }
                poll.archivePolicy = archive
            }
        }
        var outcome = await save(poll, feed, storyEntries: storyEntries)
        outcome.newEntries = poll.seen.count
        return outcome
    }

    private func save(_ poll: PollResult, _ feed: FeedConfiguration, storyEntries: [String] = []) async -> Outcome {
        do {
            let recorded = try await store.record(poll)
            for (entry, story) in zip(storyEntries, recorded.stories) {
                guard let similarity = story.similarity else { continue }
                logger.debug("entry joined a story seen before", metadata: [
                    "feed.url": "\(feed.url)", "entry.url": "\(entry)", "story": "\(story.key)",
                    "similarity": "\(String(format: "%.2f", similarity))", "copies": "\(story.copies)",
                ])
            }
            return Outcome(record: recorded.record, alerts: poll.alerts.count - recorded.repeats)
        } catch {
            // Logged by the outage it starts, not once per feed.
            return Outcome(failure: .store(error), unsaved: poll)
        }
    }

    private func failed(
        _ feed: FeedConfiguration, _ record: FeedRecord, _ failure: PollFailure, url: String? = nil, retryAfter: Date? = nil,
        retired: Bool = false, now: Date
    ) async -> Outcome {
        // A poll cut short by shutdown is not the feed's failure: it is simply polled again.
        if Task.isCancelled { return Outcome(record: record, failure: failure) }
        let failures = record.consecutiveFailures + 1
        let next = PollSchedule.afterFailure(now: now, settings: feed.settings, failures: failures, retryAfter: retryAfter, jitter: .random(in: 0...1))
        if !retired {
            logger.warning("poll failed", metadata: [
                "feed.url": "\(feed.url)", "error": "\(failure)", "failures": "\(failures)",
                "next_try_in": "\(Int(next.timeIntervalSince(now).rounded()))s",
            ])
        }
        var outcome = await save(PollResult(of: record, url: url ?? record.url, nextDue: next, error: failure.description, retired: retired, now: now), feed)
        outcome.failure = outcome.failure ?? failure
        return outcome
    }
}

extension Entry {
    /// What the store remembers of the entry: its guid, link, and hashes of title and content.
    var fingerprint: EntryFingerprint {
        EntryFingerprint(guid: id, link: link, title: title, content: content ?? summary ?? "")
    }
}

extension FeedPoller {
    /// What the answer's `Cache-Control` and `Expires` say about the next poll.
    static func cacheHints(_ response: FetchResponse) -> PollSchedule.CacheHints {
        let cacheControl = response.cacheControl
        return PollSchedule.CacheHints(
            maxAge: cacheControl.noCache || cacheControl.noStore ? 0 : cacheControl.maxAge, expires: response.expires)
    }
}
