/**
 * The protobuf wire format, as far as writing ONNX models needs it: varints
 * (int32 / int64 / enums), 32-bit floats, length-delimited fields (strings,
 * bytes, nested messages, packed repeated ints). Fields are written in the
 * order they are added; a message is its fields' bytes, so a nested message is
 * written by building it first and adding its bytes as a length-delimited field.
 * https://protobuf.dev/programming-guides/encoding/
 */

/** Wire types of the protobuf encoding. */
const VARINT = 0;
const LENGTH_DELIMITED = 2;
const FIXED32 = 5;

const utf8 = new TextEncoder();

/** Accumulates one message's fields; `finish()` gives its bytes. */
export class ProtobufWriter {
  private readonly chunks: Uint8Array[] = [];
  private pending: number[] = []; // small values (tags, varints) before they become a chunk
  private size = 0;

  private flush(): void {
    if (this.pending.length === 0) return;
    this.chunks.push(Uint8Array.from(this.pending));
    this.pending = [];
  }

  private byte(b: number): void {
    this.pending.push(b);
    this.size += 1;
  }

  /** A varint of a non-negative integer below 2^53, or of a negative one as 64-bit two's complement (10 bytes), as int32 / int64 fields encode it. */
  private varint(value: number | bigint): void {
    let v = BigInt.asUintN(64, BigInt(value));
    while (v >= 0x80n) {
      this.byte(Number(v & 0x7fn) | 0x80);
      v >>= 7n;
    }
    this.byte(Number(v));
  }

  private tag(field: number, wireType: number): void {
    this.varint((field << 3) | wireType);
  }

  /** An `int32`, `int64` or enum field (negative values as 10-byte two's complement). */
  int(field: number, value: number): this {
    if (!Number.isSafeInteger(value)) throw new Error(`protobuf: field ${field} must be a safe integer, got ${value}`);
    this.tag(field, VARINT);
    this.varint(value);
    return this;
  }

  /** A `float` field (rounded to float32). */
  float(field: number, value: number): this {
    this.tag(field, FIXED32);
    const bytes = new Uint8Array(4);
    new DataView(bytes.buffer).setFloat32(0, value, true);
    for (const b of bytes) this.byte(b);
    return this;
  }

  /** A `bytes` field or an already encoded nested message. */
  bytes(field: number, value: Uint8Array): this {
    this.tag(field, LENGTH_DELIMITED);
    this.varint(value.length);
    this.flush();
    this.chunks.push(value);
    this.size += value.length;
    return this;
  }

  /** A `string` field (UTF-8). */
  string(field: number, value: string): this {
    return this.bytes(field, utf8.encode(value));
  }

  /** A nested message field; its chunks are shared, not copied (a model's weights are copied once, by the outermost `finish`). */
  message(field: number, message: ProtobufWriter): this {
    message.flush();
    this.tag(field, LENGTH_DELIMITED);
    this.varint(message.size);
    this.flush();
    for (const c of message.chunks) this.chunks.push(c);
    this.size += message.size;
    return this;
  }

  /** A packed `repeated int64` / `int32` field (one length-delimited run of varints). */
  packedInts(field: number, values: readonly number[]): this {
    const inner = new ProtobufWriter();
    for (const v of values) {
      if (!Number.isSafeInteger(v)) throw new Error(`protobuf: field ${field} must hold safe integers, got ${v}`);
      inner.varint(v);
    }
    return this.bytes(field, inner.finish());
  }

  /** Length of the message's bytes so far. */
  get byteLength(): number {
    return this.size;
  }

  /** The message's bytes. */
  finish(): Uint8Array {
    this.flush();
    if (this.chunks.length === 1) return this.chunks[0];
    const out = new Uint8Array(this.size);
    let at = 0;
    for (const c of this.chunks) {
      out.set(c, at);
      at += c.length;
    }
    return out;
  }
}
