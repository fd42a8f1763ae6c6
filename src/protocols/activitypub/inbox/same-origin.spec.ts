import { Create, Like, Note, Undo, Update } from '@fedify/vocab';
import { sameOriginRefusal } from './same-origin.js';

const alice = new URL('https://social.example/users/alice');

describe('sameOriginRefusal (FEP-fe34)', () => {
  it("accepts an activity whose id is on its actor's origin", () => {
    expect(
      sameOriginRefusal(
        new Like({ id: new URL('https://social.example/likes/1'), actor: alice, object: new URL('https://hub.example/p/1') }),
      ),
    ).toBeNull();
  });

  it("refuses an activity whose id is on another origin than its actor's", () => {
    const undo = new Undo({
      id: new URL('https://victim.example/undos/1'),
      actor: alice,
      object: new URL('https://victim.example/likes/9'),
    });
    expect(sameOriginRefusal(undo)).toMatch(/not on the actor's origin/);
    // Another port is another origin.
    expect(sameOriginRefusal(new Like({ id: new URL('https://social.example:8443/likes/1'), actor: alice }))).toMatch(/origin/);
  });

  it('refuses a Create, Update or Delete of an object on another origin, before anything is fetched', () => {
    const note = new Note({ id: new URL('https://victim.example/notes/1'), attribution: alice });
    expect(sameOriginRefusal(new Update({ id: new URL('https://social.example/u/1'), actor: alice, object: note }))).toMatch(/object/);
    expect(sameOriginRefusal(new Create({ id: new URL('https://social.example/c/2'), actor: alice, object: note.id! }))).toMatch(/object/);
    // A Like or Undo names others' objects by design.
    expect(sameOriginRefusal(new Like({ id: new URL('https://social.example/l/1'), actor: alice, object: note.id! }))).toBeNull();
  });

  it('refuses an activity without an id, without an actor or with several actors', () => {
    expect(sameOriginRefusal(new Like({ actor: alice }))).toMatch(/no id/);
    expect(sameOriginRefusal(new Like({ id: new URL('https://social.example/likes/2') }))).toMatch(/0 actors/);
    const two = new Like({ id: new URL('https://social.example/likes/3'), actors: [alice, new URL('https://social.example/users/bob')] });
    expect(sameOriginRefusal(two)).toMatch(/2 actors/);
  });

  it('refuses ids too long to be real', () => {
    const long = `https://social.example/notes/${'n'.repeat(2100)}`;
    expect(sameOriginRefusal(new Like({ id: new URL(long), actor: alice }))).toMatch(/2048/);
    const create = new Create({ id: new URL('https://social.example/c/1'), actor: alice, object: new Note({ id: new URL(long) }) });
    expect(sameOriginRefusal(create)).toMatch(/2048/);
  });
});
