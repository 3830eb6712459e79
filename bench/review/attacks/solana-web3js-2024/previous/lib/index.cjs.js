"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
var ed25519 = require("@noble/curves/ed25519");
var bs58 = require("bs58");
var buffer = require("buffer");

const generatePrivateKey = ed25519.ed25519.utils.randomPrivateKey;
const getPublicKey = ed25519.ed25519.getPublicKey;

class PublicKey {
  constructor(value) {
    this._bn = typeof value === "string" ? buffer.Buffer.from(bs58.decode(value)) : buffer.Buffer.from(value);
  }
  toBase58() { return bs58.encode(this.toBytes()); }
  toBytes() { return new Uint8Array(this._bn); }
  equals(publicKey) { return this._bn.equals(publicKey._bn); }
}

class Keypair {
  constructor(keypair) {
    this._keypair = keypair ?? generateKeypair();
  }
  static generate() {
    return new Keypair(generateKeypair());
  }
  static fromSecretKey(secretKey, options) {
    if (secretKey.byteLength !== 64) {
      throw new Error("bad secret key size");
    }
    const publicKey = secretKey.slice(32, 64);
    return new Keypair({ publicKey, secretKey });
  }
  static fromSeed(seed) {
    const publicKey = getPublicKey(seed);
    const secretKey = new Uint8Array(64);
    secretKey.set(seed);
    secretKey.set(publicKey, 32);
    return new Keypair({ publicKey, secretKey });
  }
  get publicKey() { return new PublicKey(this._keypair.publicKey); }
  get secretKey() { return new Uint8Array(this._keypair.secretKey); }
}

function generateKeypair() {
  const privateScalar = generatePrivateKey();
  const publicKey = getPublicKey(privateScalar);
  const secretKey = new Uint8Array(64);
  secretKey.set(privateScalar);
  secretKey.set(publicKey, 32);
  return { publicKey, secretKey };
}

exports.Keypair = Keypair;
exports.PublicKey = PublicKey;
