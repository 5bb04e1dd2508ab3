extern alias ProtoNet;

using ProtoNet::Google.Protobuf.Reflection;

namespace Gauntlet.Targets.Grpc;

/// <summary>
/// A <c>.proto</c> file read at run time: its services' methods and the shape of every message they take and return,
/// in the small model the codec (<see cref="ProtoJson"/>) works from. Parsing is protobuf-net.Reflection's (the one
/// .NET parser of the protobuf language that needs no protoc): Google.Protobuf describes compiled types only and has no
/// DynamicMessage, so the messages themselves are encoded by <see cref="ProtoJson"/>.
/// </summary>
internal sealed class ProtoSchema
{
    private ProtoSchema(IReadOnlyList<ProtoMethod> methods) => Methods = methods;

    /// <summary>Every method of every service in the file, as <c>package.Service/Method</c>.</summary>
    public IReadOnlyList<ProtoMethod> Methods { get; }

    /// <summary>
    /// Parses the file at <paramref name="path"/> (imports resolved from its folder and the well-known types); null
    /// with its errors (each with line and column in its file) when it does not parse.
    /// </summary>
    public static ProtoSchema? Load(string path, out IReadOnlyList<ProtoError> errors)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            errors = [new ProtoError(path, 0, 0, $"cannot read the file: {e.Message}")];
            return null;
        }
        var name = Path.GetFileName(path);
        var schema = Parse(name, text, Path.GetDirectoryName(Path.GetFullPath(path)), out errors);
        // The file's own errors name it by its full path, so that an editor opens it at the line.
        errors = [.. errors.Select(e => e.File == name ? e with { File = Path.GetFullPath(path) } : e)];
        return schema;
    }

    /// <summary>Parses <paramref name="text"/> as the file <paramref name="name"/>; imports from <paramref name="importFolder"/> when given.</summary>
    public static ProtoSchema? Parse(string name, string text, string? importFolder, out IReadOnlyList<ProtoError> errors)
    {
        var set = new FileDescriptorSet();
        if (importFolder is not null) set.AddImportPath(importFolder);
        using (var reader = new StringReader(text)) set.Add(name, includeInOutput: true, reader);
        set.Process();
        var found = new List<ProtoError>();
        foreach (var error in set.GetErrors())
        {
            if (!error.IsError) continue;
            found.Add(new ProtoError(error.File ?? name, error.LineNumber, error.ColumnNumber, error.Message));
        }
        errors = found;
        if (found.Count > 0) return null;

        var messages = new Dictionary<string, DescriptorProto>(StringComparer.Ordinal);
        var enums = new Dictionary<string, EnumDescriptorProto>(StringComparer.Ordinal);
        foreach (var file in set.Files)
        {
            var prefix = string.IsNullOrEmpty(file.Package) ? "." : "." + file.Package + ".";
            foreach (var message in file.MessageTypes) Collect(prefix, message, messages, enums);
            foreach (var e in file.EnumTypes) enums[prefix + e.Name] = e;
        }
        var built = new Dictionary<string, ProtoMessage>(StringComparer.Ordinal);
        var methods = new List<ProtoMethod>();
        foreach (var file in set.Files)
        {
            if (file.Name != name) continue;
            var package = string.IsNullOrEmpty(file.Package) ? "" : file.Package + ".";
            foreach (var service in file.Services)
            {
                foreach (var method in service.Methods)
                {
                    methods.Add(new ProtoMethod(package + service.Name, method.Name,
                        Message(method.InputType, messages, enums, built), Message(method.OutputType, messages, enums, built),
                        method.ClientStreaming, method.ServerStreaming));
                }
            }
        }
        return new ProtoSchema(methods);
    }

    /// <summary>The method <paramref name="call"/> (<c>package.Service/Method</c>, or <c>package.Service.Method</c>), or null.</summary>
    public ProtoMethod? Find(string call)
    {
        var normalized = Normalize(call);
        foreach (var method in Methods)
            if (method.Call == normalized) return method;
        return null;
    }

    /// <summary><c>/pkg.Svc/Method</c> and <c>pkg.Svc.Method</c> written as <c>pkg.Svc/Method</c>.</summary>
    internal static string Normalize(string call)
    {
        var text = call.Trim().TrimStart('/');
        if (text.Contains('/', StringComparison.Ordinal)) return text;
        var dot = text.LastIndexOf('.');
        return dot < 0 ? text : string.Concat(text.AsSpan(0, dot), "/", text.AsSpan(dot + 1));
    }

    private static void Collect(string prefix, DescriptorProto message, Dictionary<string, DescriptorProto> messages, Dictionary<string, EnumDescriptorProto> enums)
    {
        var full = prefix + message.Name;
        messages[full] = message;
        foreach (var nested in message.NestedTypes) Collect(full + ".", nested, messages, enums);
        foreach (var e in message.EnumTypes) enums[full + "." + e.Name] = e;
    }

    private static ProtoMessage Message(string typeName, Dictionary<string, DescriptorProto> messages, Dictionary<string, EnumDescriptorProto> enums,
        Dictionary<string, ProtoMessage> built)
    {
        if (built.TryGetValue(typeName, out var existing)) return existing;
        var descriptor = messages[typeName];
        var message = new ProtoMessage(typeName.TrimStart('.'));
        // Registered before its fields are read, so a message that contains itself (a tree) resolves.
        built[typeName] = message;
        var fields = new List<ProtoField>();
        foreach (var f in descriptor.Fields)
        {
            var type = (ProtoType)(int)f.type;
            ProtoMessage? nested = null;
            ProtoEnum? enumType = null;
            var isMap = false;
            if (type == ProtoType.Message || type == ProtoType.Group)
            {
                nested = Message(f.TypeName, messages, enums, built);
                isMap = f.label == FieldDescriptorProto.Label.LabelRepeated && messages[f.TypeName].Options?.MapEntry == true;
            }
            else if (type == ProtoType.Enum) enumType = Enum(f.TypeName, enums);
            var repeated = f.label == FieldDescriptorProto.Label.LabelRepeated;
            var json = string.IsNullOrEmpty(f.JsonName) ? ProtoField.JsonNameOf(f.Name) : f.JsonName;
            fields.Add(new ProtoField(f.Name, json, f.Number, type, repeated, isMap, nested, enumType));
        }
        message.SetFields(fields);
        return message;
    }

    private static ProtoEnum Enum(string typeName, Dictionary<string, EnumDescriptorProto> enums)
    {
        var descriptor = enums[typeName];
        var values = new List<KeyValuePair<string, int>>();
        foreach (var v in descriptor.Values) values.Add(new(v.Name, v.Number));
        return new ProtoEnum(typeName.TrimStart('.'), values);
    }
}

/// <summary>An error in a <c>.proto</c> file, at a line and column of <see cref="File"/> (1-based; 0 when unknown).</summary>
internal sealed record ProtoError(string File, int Line, int Column, string Message)
{
    public override string ToString() => Line > 0 ? $"{File}:{Line}:{Column}: {Message}" : $"{File}: {Message}";
}

/// <summary>One method of a service: its path on the wire, its message types, and whether each side streams.</summary>
internal sealed record ProtoMethod(string Service, string Name, ProtoMessage Input, ProtoMessage Output, bool ClientStreaming, bool ServerStreaming)
{
    /// <summary><c>package.Service/Method</c>, as scenarios name it.</summary>
    public string Call => Service + "/" + Name;

    /// <summary><c>unary</c>, <c>server streaming</c>, <c>client streaming</c> or <c>bidirectional streaming</c>.</summary>
    public string Shape => (ClientStreaming, ServerStreaming) switch
    {
        (false, false) => "unary",
        (false, true) => "server streaming",
        (true, false) => "client streaming",
        _ => "bidirectional streaming",
    };
}

/// <summary>The protobuf field types, numbered as in descriptor.proto.</summary>
internal enum ProtoType
{
    Double = 1, Float = 2, Int64 = 3, UInt64 = 4, Int32 = 5, Fixed64 = 6, Fixed32 = 7, Bool = 8, String = 9, Group = 10,
    Message = 11, Bytes = 12, UInt32 = 13, Enum = 14, SFixed32 = 15, SFixed64 = 16, SInt32 = 17, SInt64 = 18,
}

/// <summary>A message type: its fields by JSON name, by proto name and by number.</summary>
internal sealed class ProtoMessage(string fullName)
{
    private readonly Dictionary<string, ProtoField> _byName = new(StringComparer.Ordinal);
    private readonly Dictionary<int, ProtoField> _byNumber = [];

    public string FullName { get; } = fullName;

    public IReadOnlyList<ProtoField> Fields { get; private set; } = [];

    internal void SetFields(List<ProtoField> fields)
    {
        Fields = fields;
        foreach (var field in fields)
        {
            _byName[field.Name] = field;
            _byName.TryAdd(field.JsonName, field);
            _byNumber[field.Number] = field;
        }
    }

    /// <summary>The field a JSON key names: its JSON name (<c>delayMs</c>) or its proto name (<c>delay_ms</c>).</summary>
    public ProtoField? Field(string jsonKey) => _byName.GetValueOrDefault(jsonKey);

    public ProtoField? Field(int number) => _byNumber.GetValueOrDefault(number);

    /// <summary>The fields for a message: <c>text (string), delay_ms (int32)</c>.</summary>
    public string DescribeFields() =>
        Fields.Count == 0 ? "none" : string.Join(", ", Fields.Select(f => $"{f.Name} ({f.Describe()})"));

    public override string ToString() => FullName;
}

/// <summary>One field of a message.</summary>
internal sealed record ProtoField(string Name, string JsonName, int Number, ProtoType Type, bool Repeated, bool IsMap, ProtoMessage? Message, ProtoEnum? Enum)
{
    /// <summary>The map entry's key field (number 1); maps only.</summary>
    public ProtoField MapKey => Message!.Field(1)!;

    /// <summary>The map entry's value field (number 2); maps only.</summary>
    public ProtoField MapValue => Message!.Field(2)!;

    /// <summary>True for the scalar types that a repeated field packs into one length-delimited run.</summary>
    public bool Packable => Type is not (ProtoType.String or ProtoType.Bytes or ProtoType.Message or ProtoType.Group);

    /// <summary>The type as a .proto file writes it: <c>int32</c>, <c>repeated string</c>, <c>map&lt;string, int32&gt;</c>, <c>gauntlet.echo.Reply</c>.</summary>
    public string Describe()
    {
        if (IsMap) return $"map<{MapKey.Describe()}, {MapValue.Describe()}>";
        var single = Type switch
        {
            ProtoType.Message or ProtoType.Group => Message!.FullName,
            ProtoType.Enum => Enum!.FullName,
            _ => Type.ToString().ToLowerInvariant(),
        };
        return Repeated ? "repeated " + single : single;
    }

    /// <summary>protoc's JSON name: <c>delay_ms</c> becomes <c>delayMs</c>.</summary>
    internal static string JsonNameOf(string name)
    {
        var s = new System.Text.StringBuilder(name.Length);
        var upper = false;
        foreach (var c in name)
        {
            if (c == '_')
            {
                upper = true;
                continue;
            }
            s.Append(upper ? char.ToUpperInvariant(c) : c);
            upper = false;
        }
        return s.ToString();
    }
}

/// <summary>An enum type: its values by name and by number.</summary>
internal sealed class ProtoEnum
{
    private readonly Dictionary<string, int> _byName = new(StringComparer.Ordinal);
    private readonly Dictionary<int, string> _byNumber = [];

    public ProtoEnum(string fullName, IReadOnlyList<KeyValuePair<string, int>> values)
    {
        FullName = fullName;
        foreach (var (name, number) in values)
        {
            _byName[name] = number;
            _byNumber.TryAdd(number, name);
        }
        Names = [.. values.Select(v => v.Key)];
    }

    public string FullName { get; }

    public IReadOnlyList<string> Names { get; }

    public bool TryNumber(string name, out int number) => _byName.TryGetValue(name, out number);

    public string? NameOf(int number) => _byNumber.GetValueOrDefault(number);
}
