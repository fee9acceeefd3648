// berth version: client and server versions (Docker's layout, or --format).
import type { CommandDef } from '../command';
import { CliError } from '../errors';
import { Template } from '../template';
import { tabwrite } from '../format/tabwriter';
import { errorText } from './shared';

const VERSION_TEMPLATE = `{{with .Client -}}
Client:
 Version:\t{{.Version}}
 API version:\t{{.APIVersion}}{{if ne .APIVersion .DefaultAPIVersion}} (downgraded from {{.DefaultAPIVersion}}){{end}}
 Node.js version:\t{{.NodeVersion}}
 OS/Arch:\t{{.Os}}/{{.Arch}}
 Context:\t{{.Context}}
{{- end}}
{{- if ne .Server nil}}{{with .Server}}

Server:{{if .Platform}}{{if .Platform.Name}} {{.Platform.Name}}{{end}}{{end}}
{{- range $c := .Components}}
 {{$c.Name}}:
  Version:\t{{$c.Version}}
{{- if eq $c.Name "Engine"}}
  API version:\t{{index $c.Details "ApiVersion"}} (minimum version {{index $c.Details "MinAPIVersion"}})
{{- with index $c.Details "GitCommit"}}
  Git commit:\t{{.}}
{{- end}}
{{- with index $c.Details "BuildTime"}}
  Built:\t{{.}}
{{- end}}
  OS/Arch:\t{{index $c.Details "Os"}}/{{index $c.Details "Arch"}}
  Experimental:\t{{if index $c.Details "Experimental"}}{{index $c.Details "Experimental"}}{{else}}false{{end}}
{{- else}}
{{- range $k, $v := $c.Details}}
  {{$k}}:\t{{$v}}
{{- end}}
{{- end}}
{{- else}}
 Engine:
  Version:\t{{.Version}}
  API version:\t{{.ApiVersion}} (minimum version {{.MinAPIVersion}})
  OS/Arch:\t{{.Os}}/{{.Arch}}
{{- end}}
{{- end}}{{- end}}
`;

export const version: CommandDef = {
  usage: '[OPTIONS]',
  short: 'Show the Berth version information',
  args: { max: 0 },
  flags: [{
    name: 'format', short: 'f', kind: 'string',
    usage: "Format output using a custom template:\n'json':             Print in JSON format\n'TEMPLATE':         Print output using the given Go template.\nRefer to https://docs.docker.com/go/formatting/ for more information about formatting output with templates",
  }],
  async run(ctx, flags) {
    const { BERTH_VERSION } = await import('../build-info');
    const { CLIENT_API_VERSION } = await import('../../client/http-client');
    const format = flags.string('format');
    let tmpl: Template;
    try {
      tmpl = Template.parse(format === 'json' ? '{{json .}}' : format || VERSION_TEMPLATE);
    } catch (err) {
      throw new CliError(`template parsing error: ${(err as Error).message}`, 64);
    }
    const client = ctx.client();
    let server: unknown = null;
    let failure: unknown;
    try {
      server = await client.system.version();
      // Go templates see the struct field APIVersion (its JSON name is ApiVersion); not enumerable, so {{json}} is unchanged.
      if (server && typeof server === 'object') {
        Object.defineProperty(server, 'APIVersion', { value: (server as { ApiVersion?: string }).ApiVersion, enumerable: false });
      }
    } catch (err) {
      failure = err;
    }
    const data = {
      Client: {
        Version: BERTH_VERSION, APIVersion: client.engine.version, DefaultAPIVersion: CLIENT_API_VERSION,
        NodeVersion: process.version, Os: process.platform, Arch: process.arch === 'x64' ? 'amd64' : process.arch,
        Context: 'default',
      },
      Server: server,
    };
    let text: string;
    try {
      text = tmpl.execute(data);
    } catch (err) {
      throw new CliError(`template: ${(err as Error).message}`, 1);
    }
    ctx.out(format ? `${text}\n` : tabwrite(text, { minWidth: 20, padding: 1 }));
    if (failure) throw new CliError(errorText(failure), 1);
  },
};
