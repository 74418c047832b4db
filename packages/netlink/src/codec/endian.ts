/** Netlink fields are host-endian; resolved once. Big-endian fields use the explicitly named `...be` codecs. */
export const HOST_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
