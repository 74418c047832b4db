// Validation of the container id, interface name and network name, with the reference's codes and messages
// (pkg/utils/utils.go in containernetworking/cni).
import { CniError, ErrorCode } from './errors.ts';

// Also what libcni requires of container ids and network names.
const idPattern = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;
const maxIfNameLength = 15; // IFNAMSIZ - 1

export function validateContainerId(id: string): void {
  if (id === '') throw new CniError(ErrorCode.UnknownContainer, 'missing containerID');
  if (!idPattern.test(id)) throw new CniError(ErrorCode.InvalidEnvironmentVariables, 'invalid characters in containerID', id);
}

export function validateIfName(name: string): void {
  const env = ErrorCode.InvalidEnvironmentVariables;
  if (name === '') throw new CniError(env, 'interface name is empty');
  // The kernel counts bytes, not characters.
  if (Buffer.byteLength(name) > maxIfNameLength) {
    throw new CniError(env, 'interface name is too long', `interface name should be less than ${maxIfNameLength + 1} characters`);
  }
  if (name === '.' || name === '..') throw new CniError(env, 'interface name is . or ..');
  if (/[/:\s]/u.test(name)) throw new CniError(env, 'interface name contains / or : or whitespace characters');
  // Only reachable in-process (exec(2) cannot pass NUL), but the kernel would cut the name there: never let it by.
  if (name.includes('\0')) throw new CniError(env, 'interface name contains a NUL character');
}

// NAME_MAX: plugins name state directories after the network (host-local's <dataDir>/<name>). The reference has no
// limit and fails later with the file system's ENAMETOOLONG; we refuse before any file is touched.
const maxNetworkNameBytes = 255;

export function validateNetworkName(name: string): void {
  if (name === '') throw new CniError(ErrorCode.InvalidNetworkConfig, 'missing network name');
  if (!idPattern.test(name)) throw new CniError(ErrorCode.InvalidNetworkConfig, 'invalid characters found in network name', name);
  if (Buffer.byteLength(name) > maxNetworkNameBytes) {
    throw new CniError(ErrorCode.InvalidNetworkConfig, 'network name is too long', `${Buffer.byteLength(name)} bytes; at most ${maxNetworkNameBytes} (it names state directories)`);
  }
}
