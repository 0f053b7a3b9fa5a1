import { expect } from "chai";
import { keccak256, toHex } from "viem";
import { PaymentRequestError, paymentRequestLink, paymentRequestOpen, parsePaymentRequest, referenceHash, type PaymentRequest } from "../../sdk/src/entries/resident";

const request: PaymentRequest = {
  partner: "0x00000000000000000000000000000000000000aA",
  domainId: 3,
  amount: 120n,
  orderRef: referenceHash(keccak256(toHex("salt")), "order 17"),
  expiresAt: 1_900_000_000,
};

function fieldOf(link: string): string {
  try {
    parsePaymentRequest(link);
  } catch (error) {
    expect(error).to.be.instanceOf(PaymentRequestError);
    return (error as PaymentRequestError).field;
  }
  throw new Error("parsed");
}

describe("payment requests (SDK)", () => {
  it("reads back what the link carries, with the partner's checksummed address", () => {
    const link = paymentRequestLink("https://points.example.city/", request);
    expect(link.startsWith("https://points.example.city/pay?to=0x")).to.equal(true);
    const read = parsePaymentRequest(link);
    expect(read).to.deep.equal({ ...request, partner: "0x00000000000000000000000000000000000000Aa" });
    expect(link).not.to.include("order 17");
  });

  it("names the part of a link that is cut short or edited", () => {
    const link = paymentRequestLink("https://x", request);
    expect(fieldOf(link.replace(/&r=[^&]+/, ""))).to.equal("orderRef");
    expect(fieldOf(link.replace(/a=120/, "a=-5"))).to.equal("amount");
    expect(fieldOf(link.replace(/a=120/, "a=0"))).to.equal("amount");
    expect(fieldOf(link.replace(/d=3/, "d=0"))).to.equal("domainId");
    expect(fieldOf(link.replace(/to=0x[0-9a-fA-F]+/, "to=0x1234"))).to.equal("partner");
    expect(fieldOf(link.replace(/r=0x[0-9a-f]{64}/, "r=0xabc"))).to.equal("orderRef");
    expect(fieldOf(link.replace(/x=\d+/, "x=soon"))).to.equal("expiresAt");
  });

  it("is open up to its expiry and not after", () => {
    expect(paymentRequestOpen(request, request.expiresAt)).to.equal(true);
    expect(paymentRequestOpen(request, request.expiresAt + 1)).to.equal(false);
  });
});
