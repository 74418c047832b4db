// DHCPv4 wire constants (RFC 2131, RFC 2132, RFC 4039), named as in the RFCs so they grep against them.

export const BOOTP = {
  REQUEST: 1,
  REPLY: 2,
  HTYPE_ETHERNET: 1,
  /** Fixed header: op..file, before the magic cookie. */
  HEADER_LENGTH: 236,
  /** RFC 1542: some relays and servers drop BOOTP packets shorter than this. */
  MIN_PACKET_LENGTH: 300,
  FLAG_BROADCAST: 0x8000,
  SERVER_PORT: 67,
  CLIENT_PORT: 68,
} as const;

export const MAGIC_COOKIE = Uint8Array.of(99, 130, 83, 99);

export const DhcpMessageType = {
  DISCOVER: 1,
  OFFER: 2,
  REQUEST: 3,
  DECLINE: 4,
  ACK: 5,
  NAK: 6,
  RELEASE: 7,
  INFORM: 8,
} as const;
export type DhcpMessageType = (typeof DhcpMessageType)[keyof typeof DhcpMessageType];

export const DhcpOption = {
  PAD: 0,
  SUBNET_MASK: 1,
  ROUTER: 3,
  DOMAIN_NAME_SERVER: 6,
  HOST_NAME: 12,
  DOMAIN_NAME: 15,
  REQUESTED_IP_ADDRESS: 50,
  IP_ADDRESS_LEASE_TIME: 51,
  OPTION_OVERLOAD: 52,
  DHCP_MESSAGE_TYPE: 53,
  SERVER_IDENTIFIER: 54,
  PARAMETER_REQUEST_LIST: 55,
  MESSAGE: 56,
  CLIENT_IDENTIFIER: 61,
  RAPID_COMMIT: 80,
  CLASSLESS_STATIC_ROUTE: 121,
  END: 255,
} as const;

/** Lease time 0xffffffff means infinite (RFC 2131 §3.3). */
export const INFINITE_LEASE = 0xffffffff;
