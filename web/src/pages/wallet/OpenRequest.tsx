/**
 * Opening a payment request: paste its link, or scan the partner's QR code with the camera where
 * the browser offers BarcodeDetector and a camera (the scan button appears only then).
 */
import { parsePaymentRequest, paymentRequestQuery } from "@city-points/sdk/resident";
import { useEffect, useId, useRef, useState } from "react";
import { useI18n, type MessageKey } from "../../i18n/i18n";
import { refusalOf } from "../../resident/refusals";

interface Detector {
  detect(source: HTMLVideoElement): Promise<{ rawValue: string }[]>;
}
type DetectorClass = new (options: { formats: string[] }) => Detector;

function detectorClass(): DetectorClass | undefined {
  const found = (window as unknown as { BarcodeDetector?: DetectorClass }).BarcodeDetector;
  return found && typeof navigator.mediaDevices?.getUserMedia === "function" ? found : undefined;
}

const SCAN_EVERY_MS = 300;

function Scanner({ onText, onStop }: { onText(text: string): void; onStop(refusal?: MessageKey): void }) {
  const { t } = useI18n();
  const video = useRef<HTMLVideoElement>(null);
  useEffect(() => {
    const Detector = detectorClass()!;
    let stream: MediaStream | undefined;
    let timer: ReturnType<typeof setInterval> | undefined;
    let live = true;
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } }).then(
      (s) => {
        if (!live) return s.getTracks().forEach((track) => track.stop());
        stream = s;
        video.current!.srcObject = s;
        void video.current!.play();
        const detector = new Detector({ formats: ["qr_code"] });
        timer = setInterval(() => {
          detector.detect(video.current!).then((codes) => codes[0] && onText(codes[0].rawValue), () => undefined);
        }, SCAN_EVERY_MS);
      },
      () => onStop("refusal.camera"),
    );
    return () => {
      live = false;
      clearInterval(timer);
      stream?.getTracks().forEach((track) => track.stop());
    };
  }, []);
  return (
    <div className="scanner">
      <video ref={video} muted playsInline aria-label={t("wallet.pay.camera")} />
      <button type="button" className="button secondary" onClick={() => onStop()}>
        {t("wallet.pay.scanStop")}
      </button>
    </div>
  );
}

export function OpenRequest({ onOpen }: { onOpen(query: string): void }) {
  const { t } = useI18n();
  const id = useId();
  const [link, setLink] = useState("");
  const [scanning, setScanning] = useState(false);
  const [refusal, setRefusal] = useState<MessageKey>();
  const canScan = detectorClass() !== undefined;
  const open = (text: string) => {
    try {
      onOpen(paymentRequestQuery(parsePaymentRequest(text)));
    } catch (error) {
      setRefusal(refusalOf(error));
    }
  };
  return (
    <section aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t("wallet.pay.open.title")}</h2>
      <p>{t(canScan ? "wallet.pay.open.textScan" : "wallet.pay.open.text")}</p>
      <form
        className="form"
        onSubmit={(event) => {
          event.preventDefault();
          open(link);
        }}
      >
        <div className="field">
          <label htmlFor={id}>{t("wallet.pay.link")}</label>
          <input id={id} name="link" autoComplete="off" value={link} onChange={(e) => setLink(e.target.value)} />
        </div>
        <div className="actions">
          <button type="submit" className="button">
            {t("wallet.pay.openLink")}
          </button>
          {canScan && !scanning && (
            <button type="button" className="button secondary" onClick={() => setScanning(true)}>
              {t("wallet.pay.scan")}
            </button>
          )}
        </div>
      </form>
      {scanning && (
        <Scanner
          onText={(text) => {
            setScanning(false);
            open(text);
          }}
          onStop={(why) => {
            setScanning(false);
            setRefusal(why);
          }}
        />
      )}
      {refusal && (
        <p className="notice notice-error" role="alert">
          {t(refusal)}
        </p>
      )}
    </section>
  );
}
