using Mono.Cecil;
using Mono.Cecil.Cil;

namespace Gauntlet.Tests.Architecture;

/// <summary>
/// Which of an assembly's own types each of its types references: in base types, interfaces, fields, properties,
/// events, method signatures, generic arguments and method bodies (every type, method and field an instruction names).
/// Compiler-generated and nested types count as their outermost type, so a lambda's closure is its method's class.
/// Read with Mono.Cecil from the compiled file, so nothing a source scan would miss (a fully qualified name, a type
/// reached only through a member) escapes.
/// </summary>
internal sealed class AssemblyReferences
{
    private readonly Dictionary<string, HashSet<string>> _references = new(StringComparer.Ordinal);

    private AssemblyReferences(ModuleDefinition module)
    {
        foreach (var type in module.GetTypes())
        {
            var from = Outermost(type).FullName;
            if (!_references.TryGetValue(from, out var to)) _references[from] = to = new HashSet<string>(StringComparer.Ordinal);
            foreach (var referenced in ReferencedTypes(type))
            {
                if (referenced.Scope is not ModuleDefinition && referenced.Scope?.Name != module.Assembly.Name.Name) continue;
                var target = Outermost(referenced).FullName;
                if (target != from) to.Add(target);
            }
        }
    }

    /// <summary>The references of the assembly file at <paramref name="path"/>.</summary>
    public static AssemblyReferences Read(string path)
    {
        using var module = ModuleDefinition.ReadModule(path);
        return new AssemblyReferences(module);
    }

    /// <summary>Every (type, referenced type) pair, both by full name, between different top-level types.</summary>
    public IEnumerable<(string From, string To)> Pairs => _references.SelectMany(r => r.Value.Select(to => (r.Key, to)));

    /// <summary>The namespace of a full type name.</summary>
    public static string NamespaceOf(string fullName) => fullName.LastIndexOf('.') is var dot and > 0 ? fullName[..dot] : "";

    private static TypeReference Outermost(TypeReference type)
    {
        while (type.DeclaringType is not null) type = type.DeclaringType;
        return type;
    }

    private static IEnumerable<TypeReference> ReferencedTypes(TypeDefinition type)
    {
        var found = new List<TypeReference>();
        void Add(TypeReference? t)
        {
            switch (t)
            {
                case null:
                    return;
                case GenericInstanceType generic:
                    Add(generic.ElementType);
                    foreach (var argument in generic.GenericArguments) Add(argument);
                    return;
                case TypeSpecification specification:
                    Add(specification.ElementType);
                    return;
                case GenericParameter:
                    return;
                default:
                    found.Add(t);
                    return;
            }
        }
        void AddMethod(MethodReference method)
        {
            Add(method.DeclaringType);
            Add(method.ReturnType);
            foreach (var parameter in method.Parameters) Add(parameter.ParameterType);
            if (method is GenericInstanceMethod generic) foreach (var argument in generic.GenericArguments) Add(argument);
        }

        Add(type.BaseType);
        foreach (var implemented in type.Interfaces) Add(implemented.InterfaceType);
        foreach (var field in type.Fields) Add(field.FieldType);
        foreach (var property in type.Properties) Add(property.PropertyType);
        foreach (var @event in type.Events) Add(@event.EventType);
        foreach (var method in type.Methods)
        {
            AddMethod(method);
            if (!method.HasBody) continue;
            foreach (var variable in method.Body.Variables) Add(variable.VariableType);
            foreach (var instruction in method.Body.Instructions)
            {
                switch (instruction.Operand)
                {
                    case TypeReference t: Add(t); break;
                    case MethodReference m: AddMethod(m); break;
                    case FieldReference f: Add(f.DeclaringType); Add(f.FieldType); break;
                }
            }
        }
        return found;
    }
}
