// Go's sort.Slice port checked against Go itself: fingerprints of the permutations Go 1.19's sort.Slice produced
// (a small go program run over the same generated inputs), most of them full of equal keys.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sortSliceGo } from './go-sort.js';

interface Item {
  key: number;
  id: number;
}

/** The same inputs as the Go program: xorshift32-driven keys in a few patterns. */
function generate(n: number, k: number, pattern: string, seed: number): Item[] {
  let x = seed >>> 0;
  const rnd = () => {
    x = (x ^ (x << 13)) >>> 0;
    x = (x ^ (x >>> 17)) >>> 0;
    x = (x ^ (x << 5)) >>> 0;
    return x;
  };
  const out: Item[] = [];
  for (let i = 0; i < n; i++) {
    let key = 0;
    switch (pattern) {
      case 'random':
        key = rnd() % k;
        break;
      case 'sorted':
      case 'mostly':
        key = Math.trunc((i * k) / n);
        break;
      case 'reversed':
        key = k - Math.trunc((i * k) / n);
        break;
      case 'sawtooth':
        key = i % k;
        break;
      case 'organ':
        key = i < Math.trunc(n / 2) ? i % k : (n - i) % k;
        break;
    }
    out.push({ key, id: i });
  }
  if (pattern === 'mostly') {
    for (let s = 0; s < 3; s++) {
      const a = rnd() % n;
      const b = rnd() % n;
      [out[a], out[b]] = [out[b]!, out[a]!];
    }
  }
  return out;
}

function fnv(items: Item[]): number {
  let h = 2166136261;
  for (const it of items) {
    for (let b = 0; b < 4; b++) {
      h ^= (it.id >>> (8 * b)) & 0xff;
      h = Math.imul(h, 16777619) >>> 0;
    }
  }
  return h >>> 0;
}

// [n, k, pattern, fingerprint of the ids after Go 1.19 sort.Slice by key]
const GO_1_19: [number, number, string, number][] = [
  [5,1,"random",2393499409],
  [5,1,"sorted",2393499409],
  [5,1,"reversed",2393499409],
  [5,1,"sawtooth",2393499409],
  [5,1,"organ",2393499409],
  [5,1,"mostly",653691361],
  [5,2,"random",2902156129],
  [5,2,"sorted",2393499409],
  [5,2,"reversed",1474781601],
  [5,2,"sawtooth",653691361],
  [5,2,"organ",3329432641],
  [5,2,"mostly",1728743137],
  [5,3,"random",3590406209],
  [5,3,"sorted",2393499409],
  [5,3,"reversed",788939281],
  [5,3,"sawtooth",2886261793],
  [5,3,"organ",2306325777],
  [5,3,"mostly",81066017],
  [5,7,"random",314909569],
  [5,7,"sorted",2393499409],
  [5,7,"reversed",3681308689],
  [5,7,"sawtooth",2393499409],
  [5,7,"organ",2940027025],
  [5,7,"mostly",2393499409],
  [5,3,"random",3590406209],
  [5,3,"sorted",2393499409],
  [5,3,"reversed",788939281],
  [5,3,"sawtooth",2886261793],
  [5,3,"organ",2306325777],
  [5,3,"mostly",81066017],
  [5,5,"random",788939281],
  [5,5,"sorted",2393499409],
  [5,5,"reversed",3681308689],
  [5,5,"sawtooth",2393499409],
  [5,5,"organ",2940027025],
  [5,5,"mostly",2393499409],
  [12,1,"random",962008325],
  [12,1,"sorted",962008325],
  [12,1,"reversed",962008325],
  [12,1,"sawtooth",962008325],
  [12,1,"organ",962008325],
  [12,1,"mostly",3704040309],
  [12,2,"random",925776501],
  [12,2,"sorted",962008325],
  [12,2,"reversed",1908351237],
  [12,2,"sawtooth",2307500181],
  [12,2,"organ",2307500181],
  [12,2,"mostly",283133109],
  [12,3,"random",3907389285],
  [12,3,"sorted",962008325],
  [12,3,"reversed",628331781],
  [12,3,"sawtooth",2073451461],
  [12,3,"organ",1195467013],
  [12,3,"mostly",125790213],
  [12,7,"random",894894037],
  [12,7,"sorted",962008325],
  [12,7,"reversed",668944245],
  [12,7,"sawtooth",1328268053],
  [12,7,"organ",3284957685],
  [12,7,"mostly",962008325],
  [12,7,"random",894894037],
  [12,7,"sorted",962008325],
  [12,7,"reversed",668944245],
  [12,7,"sawtooth",1328268053],
  [12,7,"organ",3284957685],
  [12,7,"mostly",962008325],
  [12,12,"random",1948408549],
  [12,12,"sorted",962008325],
  [12,12,"reversed",1166207749],
  [12,12,"sawtooth",962008325],
  [12,12,"organ",3284957685],
  [12,12,"mostly",962008325],
  [13,1,"random",2860620953],
  [13,1,"sorted",2860620953],
  [13,1,"reversed",2860620953],
  [13,1,"sawtooth",2860620953],
  [13,1,"organ",2860620953],
  [13,1,"mostly",2743771545],
  [13,2,"random",2020211737],
  [13,2,"sorted",2860620953],
  [13,2,"reversed",694493945],
  [13,2,"sawtooth",1134433545],
  [13,2,"organ",4237014361],
  [13,2,"mostly",1757398793],
  [13,3,"random",1105624313],
  [13,3,"sorted",2860620953],
  [13,3,"reversed",2639328009],
  [13,3,"sawtooth",3182740633],
  [13,3,"organ",2787912265],
  [13,3,"mostly",1648660745],
  [13,7,"random",252121337],
  [13,7,"sorted",2860620953],
  [13,7,"reversed",1872429705],
  [13,7,"sawtooth",180853529],
  [13,7,"organ",1588230201],
  [13,7,"mostly",1028269721],
  [13,7,"random",252121337],
  [13,7,"sorted",2860620953],
  [13,7,"reversed",1872429705],
  [13,7,"sawtooth",180853529],
  [13,7,"organ",1588230201],
  [13,7,"mostly",1028269721],
  [13,13,"random",3952506873],
  [13,13,"sorted",2860620953],
  [13,13,"reversed",2875643033],
  [13,13,"sawtooth",2860620953],
  [13,13,"organ",301923673],
  [13,13,"mostly",2860620953],
  [20,1,"random",3370706981],
  [20,1,"sorted",3370706981],
  [20,1,"reversed",3370706981],
  [20,1,"sawtooth",3370706981],
  [20,1,"organ",3370706981],
  [20,1,"mostly",3644975157],
  [20,2,"random",1894731445],
  [20,2,"sorted",3370706981],
  [20,2,"reversed",138688421],
  [20,2,"sawtooth",3778991797],
  [20,2,"organ",3778991797],
  [20,2,"mostly",1194942965],
  [20,3,"random",1058879189],
  [20,3,"sorted",3370706981],
  [20,3,"reversed",1305230325],
  [20,3,"sawtooth",2718090437],
  [20,3,"organ",3773570853],
  [20,3,"mostly",3454722197],
  [20,7,"random",3508745989],
  [20,7,"sorted",3370706981],
  [20,7,"reversed",1591286901],
  [20,7,"sawtooth",3020775269],
  [20,7,"organ",280826581],
  [20,7,"mostly",49228533],
  [20,11,"random",3215331013],
  [20,11,"sorted",3370706981],
  [20,11,"reversed",1430470373],
  [20,11,"sawtooth",3883770629],
  [20,11,"organ",2958148981],
  [20,11,"mostly",3370706981],
  [20,20,"random",3501293925],
  [20,20,"sorted",3370706981],
  [20,20,"reversed",989536293],
  [20,20,"sawtooth",3370706981],
  [20,20,"organ",2958148981],
  [20,20,"mostly",3370706981],
  [49,1,"random",1858033605],
  [49,1,"sorted",1858033605],
  [49,1,"reversed",1858033605],
  [49,1,"sawtooth",1858033605],
  [49,1,"organ",1858033605],
  [49,1,"mostly",1784516421],
  [49,2,"random",3712530165],
  [49,2,"sorted",1858033605],
  [49,2,"reversed",665062885],
  [49,2,"sawtooth",772890309],
  [49,2,"organ",1162300037],
  [49,2,"mostly",1654722181],
  [49,3,"random",63891861],
  [49,3,"sorted",1858033605],
  [49,3,"reversed",4027071797],
  [49,3,"sawtooth",3076020613],
  [49,3,"organ",1992389413],
  [49,3,"mostly",2373553445],
  [49,7,"random",1899956549],
  [49,7,"sorted",1858033605],
  [49,7,"reversed",3114193941],
  [49,7,"sawtooth",3359464213],
  [49,7,"organ",3016650869],
  [49,7,"mostly",1880092245],
  [49,25,"random",338776469],
  [49,25,"sorted",1858033605],
  [49,25,"reversed",585252661],
  [49,25,"sawtooth",3470284405],
  [49,25,"organ",1704894197],
  [49,25,"mostly",2850574661],
  [49,49,"random",2097360725],
  [49,49,"sorted",1858033605],
  [49,49,"reversed",3542548421],
  [49,49,"sawtooth",1858033605],
  [49,49,"organ",3524648789],
  [49,49,"mostly",1858033605],
  [50,1,"random",3477726004],
  [50,1,"sorted",3477726004],
  [50,1,"reversed",3477726004],
  [50,1,"sawtooth",3477726004],
  [50,1,"organ",3477726004],
  [50,1,"mostly",694022244],
  [50,2,"random",3265759428],
  [50,2,"sorted",3477726004],
  [50,2,"reversed",2049834980],
  [50,2,"sawtooth",2871152852],
  [50,2,"organ",2871152852],
  [50,2,"mostly",2494619140],
  [50,3,"random",3576357076],
  [50,3,"sorted",3477726004],
  [50,3,"reversed",1289216580],
  [50,3,"sawtooth",453355140],
  [50,3,"organ",3610955092],
  [50,3,"mostly",696665940],
  [50,7,"random",2509038276],
  [50,7,"sorted",3477726004],
  [50,7,"reversed",256013604],
  [50,7,"sawtooth",134149460],
  [50,7,"organ",1325558196],
  [50,7,"mostly",2076063060],
  [50,26,"random",1811316548],
  [50,26,"sorted",3477726004],
  [50,26,"reversed",1961719668],
  [50,26,"sawtooth",2605158932],
  [50,26,"organ",893194964],
  [50,26,"mostly",237360484],
  [50,50,"random",122060116],
  [50,50,"sorted",3477726004],
  [50,50,"reversed",1239030980],
  [50,50,"sawtooth",3477726004],
  [50,50,"organ",893194964],
  [50,50,"mostly",3477726004],
  [64,1,"random",4050458565],
  [64,1,"sorted",4050458565],
  [64,1,"reversed",4050458565],
  [64,1,"sawtooth",4050458565],
  [64,1,"organ",4050458565],
  [64,1,"mostly",1696286325],
  [64,2,"random",1058654117],
  [64,2,"sorted",4050458565],
  [64,2,"reversed",549991365],
  [64,2,"sawtooth",1606756325],
  [64,2,"organ",1606756325],
  [64,2,"mostly",1738407989],
  [64,3,"random",1591838629],
  [64,3,"sorted",4050458565],
  [64,3,"reversed",3871393525],
  [64,3,"sawtooth",1914677909],
  [64,3,"organ",2419243893],
  [64,3,"mostly",2375468629],
  [64,7,"random",731785701],
  [64,7,"sorted",4050458565],
  [64,7,"reversed",3623408661],
  [64,7,"sawtooth",2906847525],
  [64,7,"organ",4239880949],
  [64,7,"mostly",2833045077],
  [64,33,"random",260114341],
  [64,33,"sorted",4050458565],
  [64,33,"reversed",1184923429],
  [64,33,"sawtooth",364696757],
  [64,33,"organ",269819941],
  [64,33,"mostly",1944356037],
  [64,64,"random",563511813],
  [64,64,"sorted",4050458565],
  [64,64,"reversed",2335520709],
  [64,64,"sawtooth",4050458565],
  [64,64,"organ",269819941],
  [64,64,"mostly",4050458565],
  [100,1,"random",115233861],
  [100,1,"sorted",115233861],
  [100,1,"reversed",115233861],
  [100,1,"sawtooth",115233861],
  [100,1,"organ",115233861],
  [100,1,"mostly",2873977781],
  [100,2,"random",1088970277],
  [100,2,"sorted",115233861],
  [100,2,"reversed",1728401589],
  [100,2,"sawtooth",4117731317],
  [100,2,"organ",4117731317],
  [100,2,"mostly",3428893893],
  [100,3,"random",3674432341],
  [100,3,"sorted",115233861],
  [100,3,"reversed",2294932037],
  [100,3,"sawtooth",1751896373],
  [100,3,"organ",2705035941],
  [100,3,"mostly",3987177749],
  [100,7,"random",1943184901],
  [100,7,"sorted",115233861],
  [100,7,"reversed",547973829],
  [100,7,"sawtooth",2275180085],
  [100,7,"organ",3332188901],
  [100,7,"mostly",3389366149],
  [100,51,"random",705907381],
  [100,51,"sorted",115233861],
  [100,51,"reversed",1946296069],
  [100,51,"sawtooth",1660368149],
  [100,51,"organ",1566774869],
  [100,51,"mostly",3634192117],
  [100,100,"random",3824276133],
  [100,100,"sorted",115233861],
  [100,100,"reversed",2331270981],
  [100,100,"sawtooth",115233861],
  [100,100,"organ",1566774869],
  [100,100,"mostly",115233861],
  [257,1,"random",3613943242],
  [257,1,"sorted",3613943242],
  [257,1,"reversed",3613943242],
  [257,1,"sawtooth",3613943242],
  [257,1,"organ",3613943242],
  [257,1,"mostly",2509693130],
  [257,2,"random",3342983198],
  [257,2,"sorted",3613943242],
  [257,2,"reversed",230579086],
  [257,2,"sawtooth",3003495418],
  [257,2,"organ",4133402858],
  [257,2,"mostly",2705931434],
  [257,3,"random",89614458],
  [257,3,"sorted",3613943242],
  [257,3,"reversed",1259215410],
  [257,3,"sawtooth",3852939314],
  [257,3,"organ",281124754],
  [257,3,"mostly",3259023594],
  [257,7,"random",1218826702],
  [257,7,"sorted",3613943242],
  [257,7,"reversed",1366033066],
  [257,7,"sawtooth",3967053770],
  [257,7,"organ",2242048418],
  [257,7,"mostly",2022534794],
  [257,129,"random",3384734206],
  [257,129,"sorted",3613943242],
  [257,129,"reversed",4142910602],
  [257,129,"sawtooth",1538804138],
  [257,129,"organ",2493872638],
  [257,129,"mostly",1331865610],
  [257,257,"random",2412193150],
  [257,257,"sorted",3613943242],
  [257,257,"reversed",2333391306],
  [257,257,"sawtooth",3613943242],
  [257,257,"organ",4284719886],
  [257,257,"mostly",3613943242],
  [1000,1,"random",2383793013],
  [1000,1,"sorted",2383793013],
  [1000,1,"reversed",2383793013],
  [1000,1,"sawtooth",2383793013],
  [1000,1,"organ",2383793013],
  [1000,1,"mostly",3960560861],
  [1000,2,"random",620278265],
  [1000,2,"sorted",2383793013],
  [1000,2,"reversed",1534602969],
  [1000,2,"sawtooth",3392751841],
  [1000,2,"organ",3392751841],
  [1000,2,"mostly",3851783989],
  [1000,3,"random",1626541261],
  [1000,3,"sorted",2383793013],
  [1000,3,"reversed",2886907781],
  [1000,3,"sawtooth",3548685321],
  [1000,3,"organ",2083227561],
  [1000,3,"mostly",3922527009],
  [1000,7,"random",393581601],
  [1000,7,"sorted",2383793013],
  [1000,7,"reversed",3748790389],
  [1000,7,"sawtooth",271735369],
  [1000,7,"organ",3316679273],
  [1000,7,"mostly",2898571661],
  [1000,501,"random",3348704401],
  [1000,501,"sorted",2383793013],
  [1000,501,"reversed",2350736821],
  [1000,501,"sawtooth",1072024153],
  [1000,501,"organ",1853307081],
  [1000,501,"mostly",261525697],
  [1000,1000,"random",3345250073],
  [1000,1000,"sorted",2383793013],
  [1000,1000,"reversed",212087397],
  [1000,1000,"sawtooth",2383793013],
  [1000,1000,"organ",1853307081],
  [1000,1000,"mostly",2383793013],
];

test('go-sort/matches Go 1.19 sort.Slice on every generated input (same pdqsort, 1.19 xorshift)', () => {
  const mismatches: string[] = [];
  for (const [n, k, pattern, want] of GO_1_19) {
    const items = generate(n, k, pattern, n * 31 + k * 7 + pattern.length);
    sortSliceGo(items, (a, b) => a.key < b.key, 'go1.19');
    for (let i = 1; i < items.length; i++) assert.ok(items[i - 1]!.key <= items[i]!.key);
    const got = fnv(items);
    if (got !== want) mismatches.push(`${n}/${k}/${pattern}: got ${got}, want ${want}`);
  }
  assert.deepEqual(mismatches, []);
});

test('go-sort/the Go 1.24 xorshift only changes inputs that reach breakPatterns', () => {
  let differing = 0;
  for (const [n, k, pattern] of GO_1_19) {
    const seed = n * 31 + k * 7 + pattern.length;
    const a = sortSliceGo(generate(n, k, pattern, seed), (x, y) => x.key < y.key, 'go1.19');
    const b = sortSliceGo(generate(n, k, pattern, seed), (x, y) => x.key < y.key, 'go1.24');
    assert.deepEqual(a.map((i) => i.key), b.map((i) => i.key));
    if (fnv(a) !== fnv(b)) differing++;
    if (n <= 12) assert.equal(fnv(a), fnv(b));
  }
  assert.ok(differing > 0, 'some inputs exercise breakPatterns');
});

test('go-sort/up to 12 elements it is a stable insertion sort', () => {
  const items = [3, 1, 3, 2, 1, 3, 2].map((key, id) => ({ key, id }));
  sortSliceGo(items, (a, b) => a.key < b.key);
  assert.deepEqual(items.map((i) => i.id), [1, 4, 3, 6, 0, 2, 5]);
});
