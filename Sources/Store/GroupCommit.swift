// SPDX-License-Identifier: MIT
import GRDB
import Synchronization

/// Group commit: polls that finish while a transaction is being written wait and then share the next
/// one, so a thousand feeds answering at once cost a few commits, not a thousand. Each poll stays all
/// or nothing: a batch whose transaction fails is retried one poll per transaction, and only the
/// poll at fault gets the error.
final class GroupCommit: Sendable {
    private struct Waiting {
        var queue: [(poll: PollResult, continuation: CheckedContinuation<RecordedPoll, any Error>)] = []
        var draining = false
    }

    /// Most polls per transaction.
    static let maximumBatch = 256

    private let waiting = Mutex(Waiting())
    /// Follows each transaction: kept when it commits, undone when it rolls back.
    private let storyIndex: StoryIndex

    init(storyIndex: StoryIndex) { self.storyIndex = storyIndex }

    func record(_ poll: PollResult, in pool: DatabasePool) async throws(StoreError) -> RecordedPoll {
        do {
            return try await withCheckedThrowingContinuation { continuation in
                let lead = waiting.withLock { waiting in
                    waiting.queue.append((poll, continuation))
                    defer { waiting.draining = true }
                    return !waiting.draining
                }
                if lead { Task { await self.drain(pool) } }
            }
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError("writing the state database failed: \(error)")
        }
    }

    private func drain(_ pool: DatabasePool) async {
        while true {
            // Polls finishing at this moment are queued jobs: let them reach the queue first, so the
            // transaction takes them along. (A thousand new feeds: ~20 transactions without, ~10 with;
            // every transaction rewrites the index pages it touches into the log.)
            await Task.yield()
            let batch = waiting.withLock { waiting in
                let batch = Array(waiting.queue.prefix(Self.maximumBatch))
                waiting.queue.removeFirst(batch.count)
                if batch.isEmpty { waiting.draining = false }
                return batch
            }
            if batch.isEmpty { return }
            let polls = batch.map(\.poll)
            let index = storyIndex
            do {
                let records = try await transaction(pool) { db in try polls.map { try SQLiteStore.apply($0, db, index) } }
                for (item, record) in zip(batch, records) { item.continuation.resume(returning: record) }
            } catch {
                for item in batch {
                    let poll = item.poll
                    do {
                        item.continuation.resume(returning: try await transaction(pool) { db in try SQLiteStore.apply(poll, db, index) })
                    } catch {
                        item.continuation.resume(throwing: error)
                    }
                }
            }
        }
    }

    /// One write transaction, the story index following it.
    private func transaction<T: Sendable>(_ pool: DatabasePool, _ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        do {
            let result = try await pool.write(body)
            storyIndex.commit()
            return result
        } catch {
            storyIndex.rollback()
            throw error
        }
    }
}
