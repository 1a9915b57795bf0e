/**
 * The contract end to end, in Node: services wired by the worker's job wrapper, exposed with comlink
 * on one end of a MessageChannel, called through the page's generic client on the other.
 */
import { expose } from 'comlink';
import { afterEach, describe, expect, it } from 'vitest';
import type { Change } from './changes';
import { createClient } from './client';
import type { Count } from './job';
import { UserError } from './user-message';
import { Jobs, type Job } from '../workers/jobs';
import { wireOperations } from '../workers/operations';

const services = {
  async rename({ id, name }: { id: string; name: string }, job: Job): Promise<string> {
    job.changed('project', id);
    job.changed('projects');
    job.changed('project', id); // announced once
    return name.toUpperCase();
  },
  async refuse({ id }: { id: string }, job: Job): Promise<void> {
    job.changed('photos', id); // half done before the failure: the page must still hear it
    throw new UserError('name.classTaken', `There is already a class called "${id}".`, { name: id });
  },
  async crash(): Promise<void> {
    throw new RangeError('Invalid time value');
  },
  async count({ to }: { to: number }, job: Job<Count>): Promise<number> {
    let done = 0;
    for (; done < to && !job.isCancelled(); done++) {
      job.progress({ done: done + 1, total: to });
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    return done;
  },
  async hello(): Promise<string> {
    return 'hello';
  },
};

const ports: MessagePort[] = [];
afterEach(() => ports.splice(0).forEach((port) => port.close()));

function connect() {
  const { port1, port2 } = new MessageChannel();
  ports.push(port1, port2);
  const broadcast: Change[][] = [];
  const jobs = new Jobs();
  const wired = {
    ...wireOperations(services, jobs, (changes) => broadcast.push(changes)),
    cancel: (jobId: string) => jobs.cancel(jobId),
  };
  expose(wired, port1);
  const heard: Change[] = [];
  const client = createClient<typeof wired>(port2 as unknown as Worker, async (changes) => {
    heard.push(...changes);
  });
  return { client, heard, broadcast };
}

describe('the page-worker contract', () => {
  it('answers with the value, after the page has heard every change the call made (once each)', async () => {
    const { client, heard, broadcast } = connect();
    const value = await client.rename({ id: 'p1', name: 'ants' });
    expect(value).toBe('ANTS');
    expect(heard).toEqual([
      { scope: 'project', projectId: 'p1' },
      { scope: 'projects', projectId: null },
    ]);
    expect(broadcast).toEqual([heard]);
  });

  it('keeps a UserError’s key and values, and still delivers what changed before it failed', async () => {
    const { client, heard } = connect();
    const error = await client.refuse({ id: 'bees' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect(error).toMatchObject({
      key: 'name.classTaken',
      values: { name: 'bees' },
      message: 'There is already a class called "bees".',
    });
    expect(heard).toEqual([{ scope: 'photos', projectId: 'bees' }]);
  });

  it('turns any other error into a plain Error with its name and message', async () => {
    const { client } = connect();
    const error = await client.crash().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(UserError);
    expect(error).toMatchObject({ name: 'RangeError', message: 'Invalid time value' });
  });

  it('reports progress, and an aborted signal stops the job at its next step', async () => {
    const { client } = connect();
    const seen: Count[] = [];
    const controller = new AbortController();
    const done = await client.count(
      { to: 1000 },
      {
        signal: controller.signal,
        onProgress: (progress) => {
          seen.push(progress);
          if (progress.done === 3) controller.abort();
        },
      },
    );
    expect(seen[0]).toEqual({ done: 1, total: 1000 });
    expect(done).toBeGreaterThanOrEqual(3);
    expect(done).toBeLessThan(1000);
  });

  it('calls an operation without arguments', async () => {
    const { client } = connect();
    await expect(client.hello()).resolves.toBe('hello');
  });
});
