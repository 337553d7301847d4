import Testing
@testable import Realtime

@Suite struct AudioBacklogTests {
    /// Appends and takes in uneven sizes across several compactions: what comes out is exactly
    /// what went in, in order, and the count always says what is left.
    @Test func takesInOrderAcrossCompactions() {
        var backlog = AudioBacklog()
        var written: Int16 = 0, read: Int16 = 0
        var expectedCount = 0
        for round in 0..<400 {
            let n = 97 + (round * 37) % 900
            backlog.append(contentsOf: (0..<n).map { _ in defer { written &+= 1 }; return written })
            expectedCount += n
            let want = 480 + (round * 53) % 700
            let chunk = backlog.take(upTo: want)
            #expect(chunk.count == min(want, expectedCount))
            for s in chunk {
                #expect(s == read)
                read &+= 1
            }
            expectedCount -= chunk.count
            #expect(backlog.count == expectedCount)
            #expect(backlog.isEmpty == (expectedCount == 0))
        }
        let rest = backlog.take(upTo: .max)
        #expect(rest.count == expectedCount)
        #expect(rest.first.map { $0 == read } ?? true)
        #expect(backlog.isEmpty)
    }

    @Test func removeAllEmptiesAndTakeFromEmptyGivesNothing() {
        var backlog = AudioBacklog()
        backlog.append(contentsOf: [1, 2, 3])
        _ = backlog.take(upTo: 1)
        backlog.removeAll()
        #expect(backlog.isEmpty)
        #expect(backlog.take(upTo: 480).isEmpty)
        backlog.append(contentsOf: [7])
        #expect(backlog.take(upTo: 480) == [7])
    }
}
