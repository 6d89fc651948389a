import ArgumentParser
public struct CairnCommand: ParsableCommand { public init() {} ; public func run() throws {} }
