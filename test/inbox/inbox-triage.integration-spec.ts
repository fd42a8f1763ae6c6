import { AuditRepository } from '../../src/audit/audit.repository.js';
import { StaffUsersRepository } from '../../src/auth/staff-users.repository.js';
import type { StaffPrincipal } from '../../src/access/staff-principal.js';
import { InvalidInputError, NotFoundError } from '../../src/common/domain-errors.js';
import { EventLogRepository } from '../../src/event-log/event-log.repository.js';
import { AuthModule } from '../../src/auth/auth.module.js';
import { InboxModule } from '../../src/inbox/inbox.module.js';
import { InboxTriageService } from '../../src/inbox/inbox-triage.service.js';
import type { Interaction } from '../../src/inbox/interaction.entity.js';
import { InteractionsRepository } from '../../src/inbox/interactions.repository.js';
import { ProfilesRepository } from '../../src/profiles/profiles.repository.js';
import { CLOSE_TIMEOUT_MS, START_TIMEOUT_MS } from '../support/hook-timeouts.js';
import { track } from '../support/leftovers.js';
import { startServiceModule, type ServiceModule } from '../support/service-module.js';

describe('inbox triage against PostgreSQL', () => {
  let triage: ServiceModule;
  let service: InboxTriageService;
  let interactions: InteractionsRepository;
  let moderator: StaffPrincipal;
  let colleague: StaffPrincipal;
  let profileId: string;
  let otherProfileId: string;
  let sequence = 0;

  const receive = async (profile = profileId): Promise<Interaction> =>
    (await interactions.insertOnce({
      profileId: profile,
      protocol: 'activitypub',
      kind: 'reply',
      remoteId: `https://mastodon.example/notes/${++sequence}`,
      authorId: 'https://mastodon.example/users/alice',
      authorDomain: 'mastodon.example',
      contentText: `reply ${sequence}`,
    }))!;
  const auditFor = async (id: string) => (await triage.get(AuditRepository).list(100)).filter((event) => event.subjectId === id);
  const eventsFor = async (id: string) =>
    (await triage.get(EventLogRepository).listAfter('inbox', '0', 1_000)).filter((event) => event.subjectId === id);

  beforeAll(async () => {
    // The inbox module as the app wires it, with its real repositories; no HTTP.
    triage = await track(startServiceModule('triage', [InboxModule, AuthModule]));
    service = triage.get(InboxTriageService);
    interactions = triage.get(InteractionsRepository);
    const staff = triage.get(StaffUsersRepository);
    const profiles = triage.get(ProfilesRepository);
    [moderator, colleague] = await staff.transaction((manager) =>
      Promise.all(
        ['moderator', 'colleague'].map((name) =>
          staff.insert({ email: `${name}@example.test`, displayName: name, passwordHash: 'not used', roles: ['moderator'] }, manager),
        ),
      ),
    );
    [profileId, otherProfileId] = await profiles.transaction(async (manager) => [
      (await profiles.insert({ handle: 'eu', domain: 'eu.example', displayName: 'EU', protocols: ['activitypub'] }, manager)).id,
      (await profiles.insert({ handle: 'other', domain: 'other.example', displayName: 'Other', protocols: ['activitypub'] }, manager)).id,
    ]);
  }, START_TIMEOUT_MS);

  afterAll(() => triage?.close(), CLOSE_TIMEOUT_MS);

  it('moves a new interaction to assigned when someone is assigned, with an audit event and an inbox event', async () => {
    const interaction = await receive();
    const detail = await service.update(interaction.id, { assigneeId: colleague.id }, moderator);
    expect(detail).toMatchObject({ id: interaction.id, state: 'assigned', assigneeId: colleague.id });
    expect(await auditFor(interaction.id)).toEqual([
      expect.objectContaining({
        actorId: moderator.id,
        action: 'interaction.triage',
        details: expect.objectContaining({ assigneeId: colleague.id, state: 'assigned' }),
      }),
    ]);
    expect((await eventsFor(interaction.id)).map((event) => [event.type, (event.payload as { state: string }).state])).toEqual([
      ['interaction.updated', 'assigned'],
    ]);
  });

  it('keeps the state a moderator asks for while assigning', async () => {
    const interaction = await receive();
    const detail = await service.update(interaction.id, { assigneeId: colleague.id, state: 'resolved' }, moderator);
    expect(detail).toMatchObject({ state: 'resolved', assigneeId: colleague.id });
  });

  it('refuses an empty change and an unknown assignee, and records nothing', async () => {
    const interaction = await receive();
    await expect(service.update(interaction.id, {}, moderator)).rejects.toThrow(InvalidInputError);
    await expect(service.update(interaction.id, { assigneeId: '00000000-0000-4000-8000-000000000000' }, moderator)).rejects.toThrow(
      InvalidInputError,
    );
    expect(await interactions.findById(interaction.id)).toMatchObject({ state: 'new', assigneeId: null });
    expect(await auditFor(interaction.id)).toEqual([]);
    expect(await eventsFor(interaction.id)).toEqual([]);
  });

  it("labels in bulk only the profile's own interactions, and says which", async () => {
    const [first, second, elsewhere] = [await receive(), await receive(), await receive(otherProfileId)];
    const result = await service.bulk(profileId, { ids: [first.id, second.id, elsewhere.id], action: 'label', label: 'press' }, moderator);
    expect(result.updated.sort()).toEqual([first.id, second.id].sort());
    expect((await interactions.findByIds([first.id, second.id, elsewhere.id])).map((row) => [row.id, row.labels])).toEqual(
      expect.arrayContaining([
        [first.id, ['press']],
        [second.id, ['press']],
        [elsewhere.id, []],
      ]),
    );
    await service.bulk(profileId, { ids: [first.id], action: 'unlabel', label: 'press' }, moderator);
    expect((await interactions.findById(first.id))!.labels).toEqual([]);
  });

  it("answers NotFound for a bulk change on another profile's interactions, and changes none", async () => {
    const elsewhere = await receive(otherProfileId);
    await expect(service.bulk(profileId, { ids: [elsewhere.id], action: 'state', state: 'spam' }, moderator)).rejects.toThrow(
      NotFoundError,
    );
    expect((await interactions.findById(elsewhere.id))!.state).toBe('new');
  });

  it('keeps a note with its author and audits it', async () => {
    const interaction = await receive();
    const detail = await service.addNote(interaction.id, 'Asked the press office', moderator);
    expect(detail.notes).toEqual([expect.objectContaining({ authorId: moderator.id, text: 'Asked the press office' })]);
    expect((await auditFor(interaction.id)).map((event) => event.action)).toEqual(['interaction.note']);
  });

  it('marks an interaction answered, naming the answer in the audit', async () => {
    const interaction = await receive();
    const answerPostId = '11111111-1111-4111-8111-111111111111';
    await service.markAnswered(profileId, interaction.id, answerPostId, moderator);
    expect((await interactions.findById(interaction.id))!.state).toBe('answered');
    expect(await auditFor(interaction.id)).toEqual([
      expect.objectContaining({ action: 'interaction.answer', details: expect.objectContaining({ answerPostId }) }),
    ]);
  });
});
