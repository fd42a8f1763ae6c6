import { activityOriginRefusal } from './activity-origin.js';

describe('activityOriginRefusal', () => {
  it('accepts an activity whose id is on its actor’s origin, the actor given as a URL or an object', () => {
    expect(activityOriginRefusal({ id: 'https://a.example/likes/1', actor: 'https://a.example/users/x' })).toBeNull();
    expect(activityOriginRefusal({ id: 'https://a.example/likes/1', actor: { id: 'https://a.example/users/x' } })).toBeNull();
  });

  it('refuses an id on another origin, another port included', () => {
    expect(activityOriginRefusal({ id: 'https://victim.example/likes/1', actor: 'https://a.example/users/x' })).toMatch(
      /not on the actor's origin https:\/\/a\.example/,
    );
    expect(activityOriginRefusal({ id: 'https://a.example:8443/likes/1', actor: 'https://a.example/users/x' })).not.toBeNull();
  });

  it('leaves what it cannot judge to the later checks', () => {
    for (const json of [null, [], 'x', {}, { id: 'https://a.example/1' }, { actor: 'https://a.example/u' }, { id: 1, actor: 'x' }])
      expect(activityOriginRefusal(json)).toBeNull();
    expect(activityOriginRefusal({ id: 'not a url', actor: 'https://a.example/u' })).toBeNull();
    expect(activityOriginRefusal({ id: 'https://a.example/1', actor: ['https://a.example/u', 'https://b.example/u'] })).toBeNull();
  });
});
