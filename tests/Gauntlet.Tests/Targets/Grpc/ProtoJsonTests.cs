using Gauntlet.Targets.Grpc;

namespace Gauntlet.Tests.Targets.Grpc;

/// <summary>The codec: JSON to protobuf wire bytes by a message type read at run time, and back, in the proto3 JSON mapping.</summary>
public sealed class ProtoJsonTests
{
    private const string Proto = """
        syntax = "proto3";
        package test.codec;
        enum Color { RED = 0; GREEN = 1; BLUE = 2; }
        message Inner { string name = 1; int32 n = 2; }
        message All {
          double d = 1; float f = 2; int64 i64 = 3; uint64 u64 = 4; int32 i32 = 5; fixed64 fx64 = 6; fixed32 fx32 = 7;
          bool b = 8; string s = 9; bytes by = 12; uint32 u32 = 13; Color color = 14; sfixed32 sfx32 = 15; sfixed64 sfx64 = 16;
          sint32 si32 = 17; sint64 si64 = 18;
          Inner inner = 20; repeated int32 numbers = 21; repeated string words = 22; repeated Inner inners = 23;
          map<string, int32> counts = 24; map<int64, Inner> byId = 25; int32 delay_ms = 26;
        }
        service Codec { rpc Echo (All) returns (All); }
        """;

    private static ProtoMessage All()
    {
        var schema = ProtoSchema.Parse("codec.proto", Proto, null, out var errors);
        Assert.Empty(errors);
        return schema!.Find("test.codec.Codec/Echo")!.Input;
    }

    [Fact]
    public void Every_scalar_type_survives_json_to_bytes_to_json()
    {
        const string json = """
            {"d":1.5,"f":-2.25,"i64":"-9223372036854775808","u64":"18446744073709551615","i32":-2147483648,"fx64":"123456789012",
             "fx32":4294967295,"b":true,"s":"héllo \"quoted\"","by":"AAEC/w==","u32":4000000000,"color":"BLUE","sfx32":-7,
             "sfx64":"-8","si32":-3,"si64":"-4"}
            """;

        var bytes = ProtoJson.Encode(json, All());
        var back = ProtoJson.Decode(bytes, All());

        Assert.Equal(
            """{"d":1.5,"f":-2.25,"i64":"-9223372036854775808","u64":"18446744073709551615","i32":-2147483648,"fx64":"123456789012","fx32":4294967295,"b":true,"s":"héllo \"quoted\"","by":"AAEC/w==","u32":4000000000,"color":"BLUE","sfx32":-7,"sfx64":"-8","si32":-3,"si64":"-4"}""",
            back);
    }

    [Fact]
    public void Nested_messages_repeated_fields_and_maps_survive_the_round_trip()
    {
        const string json = """
            {"inner":{"name":"a","n":1},"numbers":[1,2,300],"words":["x","y"],"inners":[{"name":"b"},{"n":2}],
             "counts":{"k":5},"byId":{"7":{"name":"seven"}}}
            """;

        var back = ProtoJson.Decode(ProtoJson.Encode(json, All()), All());

        Assert.Equal("""{"inner":{"name":"a","n":1},"numbers":[1,2,300],"words":["x","y"],"inners":[{"name":"b"},{"n":2}],"counts":{"k":5},"byId":{"7":{"name":"seven"}}}""", back);
    }

    [Fact]
    public void Proto_names_json_names_numbers_as_strings_and_enum_numbers_are_read()
    {
        var back = ProtoJson.Decode(ProtoJson.Encode("""{"delay_ms": 5, "i64": 42, "i32": "7", "color": 1}""", All()), All());

        Assert.Equal("""{"i64":"42","i32":7,"color":"GREEN","delayMs":5}""", back);
    }

    [Fact]
    public void A_repeated_scalar_is_packed_on_the_wire()
    {
        var bytes = ProtoJson.Encode("""{"numbers": [1, 2, 3]}""", All());

        // Field 21, wire type 2 (tag 0xAA 0x01), length 3, then 1, 2, 3.
        Assert.Equal(new byte[] { 0xAA, 0x01, 3, 1, 2, 3 }, bytes);
    }

    [Theory]
    [InlineData("""{"txt": "a"}""", "txt: test.codec.All has no field 'txt'")]
    [InlineData("""{"inner": {"nme": "a"}}""", "inner.nme: test.codec.Inner has no field 'nme'; did you mean 'name'? its fields: name (string), n (int32)")]
    [InlineData("""{"i32": "x"}""", "i32: i32 is int32: expected a whole number, found the string \"x\"")]
    [InlineData("""{"i32": 3000000000}""", "i32: 3000000000 is out of range for int32")]
    [InlineData("""{"s": 5}""", "s: s is string: expected a JSON string, found the number 5")]
    [InlineData("""{"numbers": 5}""", "numbers: expected a JSON array for repeated int32, found the number 5")]
    [InlineData("""{"color": "PURPLE"}""", "color: 'PURPLE' is not a value of test.codec.Color; its values: RED, GREEN, BLUE")]
    [InlineData("""{"b": "yes"}""", "b: b is bool: expected true or false")]
    [InlineData("""[1]""", "expected a JSON object for test.codec.All, found an array")]
    [InlineData("""{"s": """, "is not JSON")]
    public void Json_that_does_not_fit_the_message_names_the_field_and_what_was_expected(string json, string expected)
    {
        var error = Assert.Throws<ProtoJsonException>(() => ProtoJson.Encode(json, All()));

        Assert.Contains(expected, error.Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_fields_in_a_reply_are_skipped()
    {
        // Field 99 (varint 1), then field 9 (string "ok").
        byte[] bytes = [0x98, 0x06, 0x01, 0x4A, 0x02, (byte)'o', (byte)'k'];

        Assert.Equal("""{"s":"ok"}""", ProtoJson.Decode(bytes, All()));
    }
}
