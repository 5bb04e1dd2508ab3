using Gauntlet.Reports;

namespace Gauntlet.Tests.Reports;

public sealed class MarkdownTextTests
{
    [Theory]
    [InlineData("a|b", @"a\|b")]
    [InlineData("line one\nline two", "line one<br>line two")]
    [InlineData("crlf\r\nend", "crlf<br>end")]
    [InlineData(@"C:\temp", @"C:\\temp")]
    [InlineData("*bold* _it_ ~strike~ [link](x) `code`", @"\*bold\* \_it\_ \~strike\~ \[link\](x) \`code\`")]
    [InlineData("<b>html</b> and <https://x>", @"\<b>html\</b> and \<https://x>")]
    [InlineData("p99 < 50ms && error_rate >= 1%", "p99 < 50ms && error_rate >= 1%")]
    [InlineData("tab\there", "tab here")]
    [InlineData(null, "")]
    public void Inline_escapes_what_would_break_a_table_or_start_markup(string? text, string expected) =>
        Assert.Equal(expected, MarkdownText.Inline(text));

    [Fact]
    public void Inline_shortens_to_the_limit_and_marks_the_cut() =>
        Assert.Equal("abc…", MarkdownText.Inline("abcdef", maxLength: 3));

    [Theory]
    [InlineData("p99 < 50ms", "`p99 < 50ms`")]
    [InlineData("a|b", @"`a\|b`")]
    [InlineData("has `tick`", "`` has `tick` ``")]
    [InlineData("`edge", "`` `edge ``")]
    [InlineData("two\nlines", "`two lines`")]
    public void Code_cell_keeps_the_text_literal_with_a_long_enough_fence(string text, string expected) =>
        Assert.Equal(expected, MarkdownText.CodeCell(text));
}
