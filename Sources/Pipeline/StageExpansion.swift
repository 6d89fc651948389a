import Basics

/// `foreach`/`do` and `matrix`: one stage definition → its members, named exactly as DVC names them.
/// - foreach over a list of scalars: `name@value`; over a list holding lists or mappings: `name@0`, `name@1`…;
///   over a mapping: `name@key`, with `${key}` and `${item}` set.
/// - matrix: the cartesian product in declaration order, `name@a-b`, where a value that is a list or mapping is
///   written `var<index>`; `${item.var}` and `${key}` are set.
enum StageExpansion {
    static func expand(name: String, body: SourceNode, line: Int, context: VarsContext, parser: StageParser,
                       options: InterpolationOptions, at location: SourceLocation) throws -> [Stage] {
        let pairs = try SchemaReader.mapping(body, at: location, what: "a stage (a mapping with 'cmd', or 'foreach' and 'do')")
        let keys = Set(pairs.map(\.key))
        if keys.contains("foreach") || keys.contains("do") {
            try SchemaReader.checkKeys(pairs, allowed: ["foreach", "do"], at: location)
            guard let foreach = pairs.first(where: { $0.key == "foreach" }) else {
                throw location.error("'do' needs a 'foreach' next to it")
            }
            guard let doPair = pairs.first(where: { $0.key == "do" }) else {
                throw location.error("'foreach' needs a 'do' with the stage to repeat")
            }
            let doAt = location.child("do", line: doPair.keyLine)
            let template = try SchemaReader.mapping(doPair.value, at: doAt, what: "a stage (a mapping with 'cmd')")
            let foreachAt = location.child("foreach", line: foreach.keyLine)
            var resolver = TemplateResolver(context: context, options: options)
            let data = try resolver.resolve(foreach.value, field: nil, at: foreachAt).value
            let members: [(key: String, values: ParamMap)]
            switch data {
            case .list(let items):
                warnShadowing(["item"], context: context, group: name)
                if items.contains(where: { !$0.isScalar }) {
                    members = items.enumerated().map { (String($0.offset), ParamMap([("item", $0.element)])) }
                } else {
                    members = items.map { ($0.interpolationText, ParamMap([("item", $0)])) }
                }
            case .map(let map):
                warnShadowing(["item", "key"], context: context, group: name)
                members = map.entries.map { ($0.key, ParamMap([("item", $0.value), ("key", .string($0.key))])) }
            default:
                throw foreachAt.at(foreach.value).error("expected a list or a mapping to iterate over, got \(data.typeDescription)")
            }
            return try members.map { member in
                var memberContext = context
                memberContext.setMember(member.values)
                return try parser.parse(name: "\(name)@\(member.key)", group: name, memberKey: member.key, body: template,
                                        line: line, context: memberContext, at: doAt)
            }
        }
        guard let matrix = pairs.first(where: { $0.key == "matrix" }) else {
            return [try parser.parse(name: name, group: nil, memberKey: nil, body: pairs, line: line, context: context, at: location)]
        }
        let matrixAt = location.child("matrix", line: matrix.keyLine)
        var resolver = TemplateResolver(context: context, options: options)
        let dimensions = try SchemaReader.mapping(matrix.value, at: matrixAt, what: "a mapping of names to lists of values")
        var axes: [(name: String, values: [ParamValue])] = []
        for (axis, axisLine, raw) in dimensions {
            let here = matrixAt.child(axis, line: axisLine)
            switch try resolver.resolve(raw, field: nil, at: here).value {
            case .list(let values): axes.append((axis, values))
            case .map(let map): axes.append((axis, map.keys.map(ParamValue.string)))  // DVC iterates a mapping's keys
            case let other: throw here.error("expected a list of values, got \(other.typeDescription)")
            }
        }
        warnShadowing(["item", "key"], context: context, group: name)
        let template = pairs.filter { $0.key != "matrix" }
        var combinations: [[(axis: String, index: Int, value: ParamValue)]] = [[]]
        for axis in axes {
            combinations = combinations.flatMap { prefix in
                axis.values.enumerated().map { prefix + [(axis.name, $0.offset, $0.element)] }
            }
        }
        if axes.isEmpty { combinations = [] }
        return try combinations.map { combination in
            let key = combination.map { $0.value.isScalar ? $0.value.interpolationText : "\($0.axis)\($0.index)" }.joined(separator: "-")
            var memberContext = context
            memberContext.setMember(ParamMap([("item", .map(ParamMap(combination.map { ($0.axis, $0.value) }))), ("key", .string(key))]))
            return try parser.parse(name: "\(name)@\(key)", group: name, memberKey: key, body: template, line: line,
                                    context: memberContext, at: location)
        }
    }

    private static func warnShadowing(_ keys: [String], context: VarsContext, group: String) {
        let shadowed = keys.filter { context.contains($0) }
        guard !shadowed.isEmpty else { return }
        Diagnostics.warning("\(shadowed.joined(separator: " and ")) \(shadowed.count == 1 ? "is" : "are") already defined in vars;"
            + " the stages generated from '\(group)' see the foreach/matrix value instead")
    }
}
