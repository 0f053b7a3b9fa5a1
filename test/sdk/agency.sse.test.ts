/** The agency client's event-stream parser: the format's line endings, fields and chunk boundaries. */
import { expect } from "chai";
import { SseParser, type SseMessage } from "../../sdk/src/agency/sse";

function parseInChunks(text: string, cuts: number[]): { messages: SseMessage[]; parser: SseParser } {
  const parser = new SseParser();
  const messages: SseMessage[] = [];
  let from = 0;
  for (const cut of [...cuts, text.length]) {
    messages.push(...parser.push(text.slice(from, cut)));
    from = cut;
  }
  return { messages, parser };
}

const RELAY_STYLE =
  ': keep-alive\n\n' +
  'id: 41\nevent: operation.submitted\ndata: {"id":"41","n":1}\n\n' +
  'id: 42\nevent: operation.confirmed\ndata: {"id":"42","n":2}\n\n';

describe("SDK agency client: server-sent events parser", function () {
  it("reads the relay's messages and skips keep-alive comments", function () {
    const { messages, parser } = parseInChunks(RELAY_STYLE, []);
    expect(messages).to.deep.equal([
      { id: "41", event: "operation.submitted", data: '{"id":"41","n":1}' },
      { id: "42", event: "operation.confirmed", data: '{"id":"42","n":2}' },
    ]);
    expect(parser.lastEventId).to.equal("42");
  });

  it("gives the same messages however the text is cut into chunks, CRLF and CR line endings included", function () {
    for (const ending of ["\n", "\r\n", "\r"]) {
      const text = RELAY_STYLE.replace(/\n/g, ending);
      const whole = parseInChunks(text, []).messages;
      expect(whole).to.have.length(2);
      for (let cut = 1; cut < text.length; cut += 1) {
        expect(parseInChunks(text, [cut]).messages, `${JSON.stringify(ending)} cut at ${cut}`).to.deep.equal(whole);
      }
      const byChar = parseInChunks(text, Array.from({ length: text.length - 1 }, (_, i) => i + 1)).messages;
      expect(byChar).to.deep.equal(whole);
    }
  });

  it("joins data lines, strips one leading space, defaults the type, keeps the last id and reads retry", function () {
    const { messages, parser } = parseInChunks("data:  two spaces\ndata:second\nretry: 1500\n\nid: 7\n\ndata: after\n\nfield-without-colon\nretry: soon\n\n", []);
    expect(messages).to.deep.equal([
      { id: undefined, event: "message", data: " two spaces\nsecond" },
      { id: undefined, event: "message", data: "after" },
    ]);
    expect(parser.lastEventId).to.equal("7");
    expect(parser.retryMs).to.equal(1_500);
  });

  it("dispatches nothing until the blank line arrives", function () {
    const parser = new SseParser();
    expect(parser.push("id: 1\ndata: x\n")).to.deep.equal([]);
    expect(parser.push("\n")).to.deep.equal([{ id: "1", event: "message", data: "x" }]);
  });
});
