// MODEL.md §10: block b's generator is seeded from (seed, b) alone, so columns do not
// depend on the thread count or on how blocks are sharded.
import Foundation
import ScenarioFiles
import Stochastics
import Testing
@testable import SavingsModel

/// Every column of a run as bit patterns (NaN-safe equality).
private func bits(_ c: SimulationColumns) -> [[UInt64]] {
    let columns: [[UInt64]] = c.scalars.map { $0.map(\.bitPattern) } + c.series.map { $0.map(\.bitPattern) }
        + c.authorityNPV.map { $0.map(\.bitPattern) } + c.inputs.map { $0.map(\.bitPattern) }
        + c.riskOccurrences.map { $0.map(\.bitPattern) }
    return columns + [tallyBytes(c).map(UInt64.init)]
}

@Suite("Reproducibility (MODEL.md §10)")
struct ReproducibilityTests {
    @Test("Threads 1, 2 and 8 give bit-identical columns", arguments: SamplingMethod.allCases)
    func threads(method: SamplingMethod) throws {
        // 1,100 iterations in blocks of 250: five blocks, the last one partial.
        let model = try CompiledModel(richScenario())
        func run(_ threads: Int) -> SimulationColumns {
            Simulation.run(model, settings: RunSettings(iterations: 1_100, seed: 20_260_401, sampling: method,
                                                        threads: threads, blockSize: 250))
        }
        let one = run(1)
        #expect(one.iterations == 1_100)
        let reference = bits(one)
        // Compared outside #expect so a failure does not print every column.
        let two = bits(run(2)) == reference, eight = bits(run(8)) == reference
        #expect(two, "2 threads differ from 1")
        #expect(eight, "8 threads differ from 1")
        // Sharding: blocks {0, 1} then {2, 3, 4}, concatenated, are the same run.
        let settings = RunSettings(iterations: 1_100, seed: 20_260_401, sampling: method, threads: 2, blockSize: 250)
        var sharded = Simulation.run(model, settings: settings, blocks: [0, 1])
        sharded.append(contentsOf: Simulation.run(model, settings: settings, blocks: [2, 3, 4]))
        let shardedSame = bits(sharded) == reference
        #expect(shardedSame, "blocks {0, 1} + {2, 3, 4} differ from the whole run")
        // And the seed matters.
        let other = Simulation.run(model, settings: RunSettings(iterations: 1_100, seed: 1, sampling: method,
                                                                threads: 2, blockSize: 250))
        let otherDiffers = bits(other) != reference
        #expect(otherDiffers, "a different seed must give different numbers")
    }
}
