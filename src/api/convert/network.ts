// How containers and the predefined networks look on the wire. Until the network
// engine lands only "host" and "none" exist; a container in the default mode has a
// private namespace with loopback only and is attached to no network.
import { sha256Hex } from '../../util/ids';
import type { Container } from '../../container/types';

export const PREDEFINED_NETWORKS = [
  { name: 'host', driver: 'host' },
  { name: 'none', driver: 'null' },
] as const;

/** Stable ID of a predefined network (the same in every listing and inspect). */
export function networkId(name: string): string {
  return sha256Hex(`berth-predefined-network:${name}`);
}

/** Name of the predefined network a container is attached to, if any. */
export function attachedNetwork(container: Container): 'host' | 'none' | undefined {
  const mode = container.hostConfig.NetworkMode;
  if (mode === 'host' || mode === 'none') return mode;
  return undefined;
}

export function endpointSettings(networkName: string): Record<string, unknown> {
  return {
    IPAMConfig: null,
    Links: null,
    Aliases: null,
    MacAddress: '',
    DriverOpts: null,
    NetworkID: networkId(networkName),
    EndpointID: '',
    Gateway: '',
    IPAddress: '',
    IPPrefixLen: 0,
    IPv6Gateway: '',
    GlobalIPv6Address: '',
    GlobalIPv6PrefixLen: 0,
    DNSNames: null,
  };
}

export function containerNetworks(container: Container): Record<string, unknown> {
  const net = attachedNetwork(container);
  return net ? { [net]: endpointSettings(net) } : {};
}

/** Docker's NetworkSettings block of container inspect. */
export function networkSettings(container: Container): Record<string, unknown> {
  const running = container.state.Running && container.state.Pid > 0;
  const ownNamespace = container.hostConfig.NetworkMode !== 'host';
  return {
    Bridge: '',
    SandboxID: '',
    SandboxKey: running && ownNamespace ? `/proc/${container.state.Pid}/ns/net` : '',
    Ports: {},
    HairpinMode: false,
    LinkLocalIPv6Address: '',
    LinkLocalIPv6PrefixLen: 0,
    SecondaryIPAddresses: null,
    SecondaryIPv6Addresses: null,
    EndpointID: '',
    Gateway: '',
    GlobalIPv6Address: '',
    GlobalIPv6PrefixLen: 0,
    IPAddress: '',
    IPPrefixLen: 0,
    IPv6Gateway: '',
    MacAddress: '',
    Networks: containerNetworks(container),
  };
}

/** Docker's network inspect body for a predefined network. */
export function predefinedNetworkJson(name: string, driver: string, created: string, members: Container[]): Record<string, unknown> {
  const containers: Record<string, unknown> = {};
  for (const c of members) {
    containers[c.id] = { Name: c.name, EndpointID: '', MacAddress: '', IPv4Address: '', IPv6Address: '' };
  }
  return {
    Name: name,
    Id: networkId(name),
    Created: created,
    Scope: 'local',
    Driver: driver,
    EnableIPv6: false,
    IPAM: { Driver: 'default', Options: null, Config: [] },
    Internal: false,
    Attachable: false,
    Ingress: false,
    ConfigFrom: { Network: '' },
    ConfigOnly: false,
    Containers: containers,
    Options: {},
    Labels: {},
  };
}
