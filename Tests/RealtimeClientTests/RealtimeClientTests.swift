import Testing
@testable import RealtimeClient
