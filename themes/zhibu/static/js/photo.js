// Photos taken on a phone, made small in the browser before they are sent: decoded (the browser
// applies the EXIF orientation), drawn on a canvas with the long side at most 2000 px and encoded
// as JPEG at quality 0.85 — a 4 MB phone photo goes up as a few hundred KB. The server checks
// the bytes again and strips every bit of metadata; this only saves the member's data plan.
// Shared by the handwritten copies (copy.js) and the handwritten pages of a thought report
// (report.js).

export const LONG_SIDE = 2000;
export const QUALITY = 0.85;

/** A size for people: "380 KB", "3.9 MB". */
export const kb = (n) => (n >= 1048576 ? (n / 1048576).toFixed(1) + " MB" : Math.round(n / 1024) + " KB");

/** The photo as {blob, width, height}: its long side at most LONG_SIDE px, as JPEG. A photo
 *  already small and well compressed goes as it is. Rejects when the browser cannot read it. */
export async function shrink(file) {
  const url = URL.createObjectURL(file);
  try {
    const img = await new Promise((ok, fail) => {
      const i = new Image();
      i.onload = () => ok(i);
      i.onerror = fail;
      i.src = url;
    });
    const k = Math.min(1, LONG_SIDE / Math.max(img.naturalWidth, img.naturalHeight));
    const canvas = document.createElement("canvas");
    canvas.width = Math.round(img.naturalWidth * k);
    canvas.height = Math.round(img.naturalHeight * k);
    const ctx = canvas.getContext("2d");
    ctx.imageSmoothingQuality = "high";
    ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
    let blob = await new Promise((ok) => canvas.toBlob(ok, "image/jpeg", QUALITY));
    if (!blob) throw new Error("canvas");
    // A photo already small and well compressed goes as it is (the server strips its metadata).
    if (k === 1 && file.size < blob.size && /^image\/(jpeg|png|webp)$/.test(file.type)) blob = file;
    return { blob, width: canvas.width, height: canvas.height };
  } finally {
    URL.revokeObjectURL(url);
  }
}
