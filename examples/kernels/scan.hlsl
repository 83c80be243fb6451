// scan.hlsl - inclusive prefix sum of `count` uint32s in one pass
// (decoupled look-back).
//
// Each group takes a ticket: the next tile of TILE values, in the order the
// groups start, so it only ever waits for groups that are already running.
// It scans its tile in registers and groupshared memory, publishes the
// tile's sum, then walks back over the tiles before it, adding their
// published sums until it meets one whose inclusive prefix is known.
//
// scratch: [0] the ticket counter, then per tile: state, aggregate,
// inclusive. Every run takes exactly `tiles` tickets, so ticket / tiles
// numbers the run (its epoch) and ticket % tiles is the tile. A state is
// (epoch << 2) | flag, flag 1: the aggregate (the tile's own sum) is
// published, 2: the inclusive prefix is. The states of earlier runs carry
// older epochs, so nothing needs clearing between runs and a recorded
// CommandList can be submitted again; the caller zeroes scratch once, and
// again before the ticket counter would wrap.
#define THREADS 256
#define PER_THREAD 16
#define TILE (THREADS * PER_THREAD)
#define FLAG_AGGREGATE 1u
#define FLAG_INCLUSIVE 2u

struct Params {
    uint count; // values to scan
    uint tiles; // (count + TILE - 1) / TILE: the groups dispatched
};
[[vk::push_constant]] ConstantBuffer<Params> params;

StructuredBuffer<uint4> input : register(t0);
RWStructuredBuffer<uint4> output : register(u0);
globallycoherent RWStructuredBuffer<uint> scratch : register(u1);

groupshared uint4 staged[TILE / 4]; // the tile, for coalesced loads/stores
groupshared uint partial[THREADS];  // wave totals; the fallback's sums
groupshared uint tile_of_group;
groupshared uint epoch_of_group;
groupshared uint look_prefix; // the sum of the tiles before, so far
groupshared uint look_before; // the tile the look-back reads next
groupshared uint look_step;   // STEP_*

#define STEP_WAIT 0        // read look_before's state again
#define STEP_SUM_IT_HERE 1 // look_before is late: sum its input here
#define STEP_DONE 2
#define SPIN_LIMIT 1024

uint state_at(uint tile) { return 1 + 3 * tile; }

// Values are published and read with atomics, like the states: a plain load
// issued after the state's can still see memory from before it (seen on
// lavapipe: whole tiles without their prefix).
void publish(uint tile, uint slot, uint value, uint state)
{
    uint ignored;
    InterlockedExchange(scratch[state_at(tile) + slot], value, ignored);
    DeviceMemoryBarrier();
    InterlockedExchange(scratch[state_at(tile)], state, ignored);
}

uint read_slot(uint tile, uint slot)
{
    uint value;
    InterlockedOr(scratch[state_at(tile) + slot], 0, value);
    return value;
}

// the lowest lane set in a ballot, or `lanes` when none is
uint first_lane(uint4 ballot, uint lanes)
{
    uint found = lanes;
    [unroll] for (int part = 3; part >= 0; part--)
        if (ballot[part] != 0)
            found = 32 * part + firstbitlow(ballot[part]);
    return min(found, lanes);
}

uint4 load_quad(uint at)
{
    uint4 v = at < params.count ? input[at / 4] : uint4(0, 0, 0, 0);
    return uint4(at + 0 < params.count ? v.x : 0, at + 1 < params.count ? v.y : 0,
                 at + 2 < params.count ? v.z : 0, at + 3 < params.count ? v.w : 0);
}

// the sum of the PER_THREAD values of `thread` in `tile`
uint sum_of_thread_values(uint tile, uint thread)
{
    uint4 sum = 0;
    uint first = tile * TILE + thread * PER_THREAD;
    [unroll] for (uint q = 0; q < PER_THREAD / 4; q++)
        sum += load_quad(first + 4 * q);
    return (sum.x + sum.y) + (sum.z + sum.w);
}

[numthreads(THREADS, 1, 1)]
void main(uint index : SV_GroupIndex)
{
    if (index == 0) {
        uint ticket;
        InterlockedAdd(scratch[0], 1, ticket);
        tile_of_group = ticket % params.tiles;
        epoch_of_group = ((ticket / params.tiles + 1) & 0x3fffffffu) << 2;
    }
    GroupMemoryBarrierWithGroupSync();
    uint tile = tile_of_group;

    // the tile into groupshared memory, each load instruction of a wave
    // reading consecutive uint4s; then each thread takes its PER_THREAD
    // consecutive values from there and scans them in registers
    uint base = tile * TILE;
    [unroll] for (uint q = 0; q < PER_THREAD / 4; q++)
        staged[q * THREADS + index] = load_quad(base + 4 * (q * THREADS + index));
    GroupMemoryBarrierWithGroupSync();
    uint values[PER_THREAD];
    [unroll] for (uint r = 0; r < PER_THREAD / 4; r++) {
        uint4 v = staged[index * (PER_THREAD / 4) + r];
        values[4 * r + 0] = v.x;
        values[4 * r + 1] = v.y;
        values[4 * r + 2] = v.z;
        values[4 * r + 3] = v.w;
    }
    [unroll] for (uint k = 1; k < PER_THREAD; k++)
        values[k] += values[k - 1];

    // the threads' totals, scanned across the group: within each wave by
    // the wave's own prefix sum, then thread 0 scans the waves' totals
    uint total = values[PER_THREAD - 1];
    uint lanes = WaveGetLaneCount();
    uint wave = index / lanes, waves = (THREADS + lanes - 1) / lanes;
    uint in_wave = WavePrefixSum(total);
    if (WaveGetLaneIndex() == lanes - 1 || index == THREADS - 1)
        partial[wave] = in_wave + total;
    GroupMemoryBarrierWithGroupSync();
    if (index == 0) {
        uint sum = 0;
        for (uint w = 0; w < waves; w++) {
            uint t = partial[w];
            partial[w] = sum;
            sum += t;
        }
        partial[waves] = sum; // the tile's sum
    }
    GroupMemoryBarrierWithGroupSync();
    uint thread_prefix = partial[wave] + in_wave;
    uint tile_sum = partial[waves];
    GroupMemoryBarrierWithGroupSync(); // partial is the fallback's next
    uint epoch = epoch_of_group;
    if (index == 0) {
        if (tile == 0)
            publish(tile, 2, tile_sum, epoch | FLAG_INCLUSIVE);
        else
            publish(tile, 1, tile_sum, epoch | FLAG_AGGREGATE);
        look_prefix = 0;
        look_before = tile - 1;
        look_step = tile == 0 ? STEP_DONE : STEP_WAIT;
    }
    // the look-back, as a group: the first wave reads the states of as
    // many tiles before as it has lanes at once (one memory latency for a
    // whole window, not one per tile); a tile that stays unpublished for
    // SPIN_LIMIT reads is summed by this group from the input itself, so no
    // group waits on another without bound
    for (;;) {
        GroupMemoryBarrierWithGroupSync();
        uint step = look_step; // read by all before wave 0 writes again
        GroupMemoryBarrierWithGroupSync();
        if (step == STEP_DONE)
            break;
        if (wave == 0) {
            // every lane of the wave runs this loop the same number of
            // times: what ends it comes from ballots
            uint lane = WaveGetLaneIndex();
            uint before = look_before, prefix = 0, next_step = STEP_SUM_IT_HERE;
            for (uint spin = 0; spin < SPIN_LIMIT; spin++) {
                // lane i reads tile before - i; lanes past tile 0 stand for
                // an inclusive prefix of 0, which ends the walk
                bool real = lane <= before;
                uint tile_read = real ? before - lane : 0;
                uint state = real ? read_slot(tile_read, 0) : epoch | FLAG_INCLUSIVE;
                bool ready = (state & ~3u) == epoch && (state & 3u) != 0;
                bool inclusive = ready && (state & 3u) == FLAG_INCLUSIVE;
                // the lanes usable now: up to the first not ready, or up to
                // and with the first inclusive one when that comes first
                uint not_ready = first_lane(WaveActiveBallot(!ready), lanes);
                uint first_inclusive = first_lane(WaveActiveBallot(inclusive), lanes);
                bool done = first_inclusive < not_ready;
                uint take = done ? first_inclusive + 1 : not_ready; // <= lanes
                uint value = 0;
                if (real && lane < take)
                    value = read_slot(tile_read, inclusive ? 2 : 1);
                prefix += WaveActiveSum(value);
                if (done) {
                    next_step = STEP_DONE;
                    break;
                }
                if (take > 0) {
                    before -= take; // take <= before here: no tile 0 read
                    spin = 0;
                }
            }
            if (lane == 0) {
                look_prefix += prefix;
                look_before = before;
                look_step = next_step;
            }
        }
        GroupMemoryBarrierWithGroupSync();
        if (look_step == STEP_SUM_IT_HERE) {
            partial[index] = sum_of_thread_values(look_before, index);
            GroupMemoryBarrierWithGroupSync();
            [unroll] for (uint width = THREADS / 2; width > 0; width /= 2) {
                if (index < width)
                    partial[index] += partial[index + width];
                GroupMemoryBarrierWithGroupSync();
            }
            if (index == 0) {
                look_prefix += partial[0];
                look_step = look_before == 0 ? STEP_DONE : STEP_WAIT;
                look_before--;
            }
        }
    }
    if (index == 0 && tile != 0)
        publish(tile, 2, look_prefix + tile_sum, epoch | FLAG_INCLUSIVE);
    uint tile_prefix = look_prefix;

    uint add = tile_prefix + thread_prefix;
    [unroll] for (uint w = 0; w < PER_THREAD / 4; w++)
        staged[index * (PER_THREAD / 4) + w] =
            uint4(values[4 * w], values[4 * w + 1], values[4 * w + 2],
                  values[4 * w + 3]) + add;
    GroupMemoryBarrierWithGroupSync();
    [unroll] for (uint o = 0; o < PER_THREAD / 4; o++) {
        uint quad = o * THREADS + index;
        if (base + 4 * quad < params.count)
            output[base / 4 + quad] = staged[quad];
    }
}
