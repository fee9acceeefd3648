// Dockerfile-style --change instructions applied like Docker's BuildFromConfig.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyChanges } from '../src/image';
import { InvalidArgumentError } from '../src/errors';

test('exec and shell forms of CMD and ENTRYPOINT', () => {
  assert.deepEqual(applyChanges({}, ['CMD ["sh"]']).Cmd, ['sh']);
  assert.deepEqual(applyChanges({}, ['CMD echo hi there']).Cmd, ['/bin/sh', '-c', 'echo hi there']);
  const ep = applyChanges({ Cmd: ['old'] }, ['ENTRYPOINT ["/init"]']);
  assert.deepEqual(ep.Entrypoint, ['/init']);
  assert.equal(ep.Cmd, null, 'an ENTRYPOINT resets an inherited CMD');
  const both = applyChanges({}, ['CMD ["a"]', 'ENTRYPOINT top -b']);
  assert.deepEqual(both.Cmd, ['a'], 'a CMD given in the same changes stays');
  assert.deepEqual(both.Entrypoint, ['/bin/sh', '-c', 'top -b']);
});

test('ENV and LABEL: key=value pairs, quotes, legacy form, expansion', () => {
  const c = applyChanges({ Env: ['PATH=/bin'] }, [
    'ENV A=1 B="two words" C=\'$A\'',
    'ENV PATH=/opt/bin:$PATH',
    'ENV LEGACY value with  spaces',
    'ENV D=${A}x E=${NOPE:-dflt} F=${A:+set}',
    'LABEL x=y "a b"=c',
  ]);
  assert.deepEqual(c.Env, ['PATH=/opt/bin:/bin', 'A=1', 'B=two words', 'C=$A', 'LEGACY=value with  spaces', 'D=1x', 'E=dflt', 'F=set']);
  assert.deepEqual(c.Labels, { x: 'y', 'a b': 'c' });
  assert.throws(() => applyChanges({}, ['ENV A=1 B']), /Syntax error - can't find = in "B". Must be of the form: name=value/);
  assert.throws(() => applyChanges({}, ['ENV']), /ENV requires at least one argument/);
  assert.throws(() => applyChanges({}, ['ENV ONLY']), /ENV must have two arguments/);
});

test('EXPOSE, VOLUME, USER, WORKDIR, STOPSIGNAL, ONBUILD, HEALTHCHECK', () => {
  const c = applyChanges({ Env: ['P=9090'] }, [
    'EXPOSE 80 53/udp 8000-8002 $P',
    'VOLUME ["/data", "/logs"]',
    'VOLUME /cache',
    'USER nobody',
    'WORKDIR /srv',
    'WORKDIR app/../web',
    'STOPSIGNAL SIGINT',
    'ONBUILD RUN make',
    'HEALTHCHECK --interval=5s --retries=3 CMD wget -q localhost',
  ]);
  assert.deepEqual(Object.keys(c.ExposedPorts ?? {}).sort(), ['53/udp', '80/tcp', '8000/tcp', '8001/tcp', '8002/tcp', '9090/tcp']);
  assert.deepEqual(Object.keys(c.Volumes ?? {}).sort(), ['/cache', '/data', '/logs']);
  assert.equal(c.User, 'nobody');
  assert.equal(c.WorkingDir, '/srv/web');
  assert.equal(c.StopSignal, 'SIGINT');
  assert.deepEqual(c.OnBuild, ['RUN make']);
  assert.deepEqual(c.Healthcheck, { Interval: 5e9, Retries: 3, Test: ['CMD-SHELL', 'wget -q localhost'] });
  assert.deepEqual(applyChanges({}, ['HEALTHCHECK NONE']).Healthcheck, { Test: ['NONE'] });
  assert.deepEqual(applyChanges({}, ['healthcheck CMD ["true"]']).Healthcheck, { Test: ['CMD', 'true'] });
  assert.throws(() => applyChanges({}, ['EXPOSE abc']), /invalid containerPort: abc/);
  assert.throws(() => applyChanges({}, ['USER a b']), /USER requires exactly one argument/);
  assert.throws(() => applyChanges({}, ['ONBUILD ONBUILD RUN x']), /Chaining ONBUILD/);
});

test('only commit commands are allowed, with Docker\'s text', () => {
  for (const [line, word] of [['RUN true', 'run'], ['FROM x', 'from'], ['SHELL ["/bin/bash"]', 'shell'], ['BOGUS x', 'bogus']]) {
    assert.throws(() => applyChanges({}, [line]), (err: unknown) => {
      assert.ok(err instanceof InvalidArgumentError);
      assert.equal(err.message, `${word} is not a valid change command`);
      return true;
    });
  }
  // A bad line anywhere rejects the whole set before anything applies.
  assert.throws(() => applyChanges({}, ['CMD ["a"]', 'RUN x']), /run is not a valid change command/);
  assert.deepEqual(applyChanges({ Cmd: ['x'] }, []), { Cmd: ['x'] });
});
