import { BitArray } from "@chainsafe/ssz";
import { sign } from "../../crypto/ed25519.js";
import type { Certificate, SignedHeader } from "../../types/consensus.js";
import { headerDigest } from "../../types/signing.js";
import { encodeMessage, MessageKind } from "../messages.js";
import type { ConsensusNetwork } from "../network.js";
import { headerSigningMessage } from "../primary/validation.js";
import type { SimNetwork } from "./network.js";
import type { Prng } from "./prng.js";

export interface AdversaryStats {
  equivocations: number;
  withheldCertificates: number;
  badSignatures: number;
  unknownVotes: number;
  garbage: number;
}

/**
 * Turns a validator's outbound traffic Byzantine. Underneath runs the honest core (it still votes
 * and builds certificates); on top, for each header it proposes, the adversary may
 *  - equivocate: send a second, differently signed header for the same round to part of the committee,
 *  - send forged traffic: a header and a certificate with bad signatures, a vote for a header that
 *    does not exist, and bytes that are no message at all,
 * and it may withhold its certificates (send them to nobody, so peers must fetch them as parents).
 */
export class Adversary {
  readonly stats: AdversaryStats = {
    equivocations: 0,
    withheldCertificates: 0,
    badSignatures: 0,
    unknownVotes: 0,
    garbage: 0,
  };

  constructor(
    private readonly self: number,
    private readonly size: number,
    private readonly secretKey: Uint8Array,
    private readonly chainId: Uint8Array,
    private readonly rng: Prng,
    private readonly network: SimNetwork,
  ) {}

  wrap(inner: ConsensusNetwork, alive: () => boolean): ConsensusNetwork {
    return {
      send: (to, message) => inner.send(to, message),
      broadcast: (message) => {
        if (!alive()) return;
        if (message.kind === MessageKind.Header && message.body.header.author === this.self) {
          this.onOwnHeader(inner, message.body);
        } else if (message.kind === MessageKind.Certificate && message.body.header.author === this.self) {
          this.onOwnCertificate(inner, message.body);
        } else {
          inner.broadcast(message);
        }
      },
    };
  }

  private peers(): number[] {
    return Array.from({ length: this.size }, (_, i) => i).filter((i) => i !== this.self);
  }

  private onOwnHeader(inner: ConsensusNetwork, signed: SignedHeader): void {
    const peers = this.peers();
    if (this.rng.chance(0.5)) {
      // Equivocate: a twin header to a third of the committee; a few get both and keep evidence.
      this.stats.equivocations++;
      const twin = this.resign({ ...signed.header, createdAt: signed.header.createdAt + 1 });
      this.rng.shuffle(peers);
      const cut = Math.max(1, Math.floor(peers.length / 3));
      peers.forEach((to, i) => {
        if (i < cut) inner.send(to, { kind: MessageKind.Header, body: twin });
        if (i >= cut - 1) inner.send(to, { kind: MessageKind.Header, body: signed });
      });
    } else {
      inner.broadcast({ kind: MessageKind.Header, body: signed });
    }
    this.forge(inner, signed);
  }

  private onOwnCertificate(inner: ConsensusNetwork, certificate: Certificate): void {
    if (this.rng.chance(0.5)) {
      this.stats.withheldCertificates++;
      return;
    }
    inner.broadcast({ kind: MessageKind.Certificate, body: certificate });
  }

  private forge(inner: ConsensusNetwork, signed: SignedHeader): void {
    const peers = this.peers();
    const to = peers[this.rng.int(0, peers.length - 1)]!;
    // A header whose signature does not match its contents.
    const badSignature = new Uint8Array(signed.signature);
    badSignature[0]! ^= 0xff;
    inner.send(to, {
      kind: MessageKind.Header,
      body: { header: { ...signed.header, createdAt: signed.header.createdAt + 2 }, signature: badSignature },
    });
    // A certificate for a header nobody voted for, carrying signatures copied from elsewhere.
    inner.send(to, {
      kind: MessageKind.Certificate,
      body: {
        header: { ...signed.header, createdAt: signed.header.createdAt + 3 },
        signers: fullSigners(this.size),
        signatures: Array.from({ length: this.size }, () => badSignature),
      },
    });
    this.stats.badSignatures += 2;
    // A vote for a header that does not exist.
    const digest = headerDigest({ ...signed.header, createdAt: signed.header.createdAt + 4 });
    inner.send(to, {
      kind: MessageKind.Vote,
      body: {
        headerDigest: digest,
        round: signed.header.round,
        origin: to,
        voter: this.self,
        signature: badSignature,
      },
    });
    this.stats.unknownVotes++;
    // Bytes that are no message: an unknown kind, and a truncated header.
    this.network.transmit(this.self, to, new Uint8Array([0xee, 1, 2, 3]));
    this.network.transmit(
      this.self,
      to,
      encodeMessage({ kind: MessageKind.Header, body: signed }).subarray(0, 40),
    );
    this.stats.garbage += 2;
  }

  private resign(header: SignedHeader["header"]): SignedHeader {
    return {
      header,
      signature: sign(this.secretKey, headerSigningMessage(this.chainId, headerDigest(header))),
    };
  }
}

function fullSigners(size: number): BitArray {
  const bits = BitArray.fromBitLen(size);
  for (let i = 0; i < size; i++) bits.set(i, true);
  return bits;
}
