import "./polyfills.js";
import type { PeerId } from "@libp2p/interface";
import { type Multiaddr, multiaddr } from "@multiformats/multiaddr";
import type { Committee } from "../types/genesis.js";
import { asciiString } from "../types/primitives.js";
import { NetworkError, NetworkErrorCode } from "./errors.js";
import { peerIdOfPublicKey } from "./identity.js";
import type { CommitteeMember } from "./types.js";

/** A committee member with its libp2p identity and dial address resolved once. */
export interface CommitteePeer {
  index: number;
  peerId: PeerId;
  /** The member's multiaddr with /p2p/<peerId>, so a dial fails unless the right key answers. */
  dialAddress: Multiaddr;
}

/**
 * The peer book: committee indices ↔ PeerIds. Everything inbound is attributed through
 * `indexOf(remotePeer)`, the Noise-authenticated identity, never through anything the peer claims.
 */
export class CommitteeBook {
  readonly self: CommitteePeer;
  readonly selfMember: CommitteeMember;
  /** Every member except this node, by index. */
  readonly peers: ReadonlyMap<number, CommitteePeer>;
  private readonly byPeerId = new Map<string, number>();

  constructor(members: readonly CommitteeMember[], selfIndex: number) {
    const peers = new Map<number, CommitteePeer>();
    let self: CommitteePeer | undefined;
    let selfMember: CommitteeMember | undefined;
    for (const member of members) {
      const peer = resolveMember(member);
      const key = peer.peerId.toString();
      if (this.byPeerId.has(key) || peers.has(member.index) || self?.index === member.index) {
        throw new NetworkError(
          NetworkErrorCode.InvalidConfig,
          `committee member ${member.index} is listed twice`,
        );
      }
      this.byPeerId.set(key, member.index);
      if (member.index === selfIndex) {
        self = peer;
        selfMember = member;
      } else peers.set(member.index, peer);
    }
    if (self === undefined) {
      throw new NetworkError(
        NetworkErrorCode.InvalidConfig,
        `own index ${selfIndex} is not in the committee`,
      );
    }
    this.self = self;
    this.selfMember = selfMember!;
    this.peers = peers;
  }

  /** The committee index of an authenticated remote peer, or undefined for an outsider. */
  indexOf(peerId: PeerId): number | undefined {
    return this.byPeerId.get(peerId.toString());
  }

  /** The peer with this index; throws UnknownPeer for outsiders and for this node itself. */
  peer(index: number): CommitteePeer {
    const peer = this.peers.get(index);
    if (peer === undefined) {
      throw new NetworkError(NetworkErrorCode.UnknownPeer, `no committee peer with index ${index}`);
    }
    return peer;
  }
}

function resolveMember(member: CommitteeMember): CommitteePeer {
  if (!Number.isSafeInteger(member.index) || member.index < 0) {
    throw new NetworkError(NetworkErrorCode.InvalidConfig, `invalid committee index ${member.index}`);
  }
  const peerId = peerIdOfPublicKey(member.publicKey);
  let address: Multiaddr;
  try {
    address = multiaddr(member.multiaddr);
  } catch (err) {
    throw new NetworkError(
      NetworkErrorCode.InvalidConfig,
      `member ${member.index}: invalid multiaddr ${member.multiaddr}`,
      undefined,
      { cause: err },
    );
  }
  const named = address.getComponents().find((c) => c.name === "p2p")?.value;
  if (named !== undefined && named !== peerId.toString()) {
    throw new NetworkError(
      NetworkErrorCode.InvalidConfig,
      `member ${member.index}: multiaddr names another peer`,
    );
  }
  const dialAddress = named === undefined ? address.encapsulate(`/p2p/${peerId.toString()}`) : address;
  return { index: member.index, peerId, dialAddress };
}

/** The committee of a genesis as the network dials it: index, key and address of each member. */
export function committeeMembers(committee: Committee): CommitteeMember[] {
  return committee.validators.map((v, index) => ({
    index,
    publicKey: v.publicKey,
    multiaddr: asciiString(v.address),
  }));
}
