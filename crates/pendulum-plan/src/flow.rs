//! Minimum-cost flow: a network of arcs with capacities and integer costs, node supplies,
//! and the cheapest flow that routes every supply to a demand.
//!
//! The method is cost scaling (Goldberg and Tarjan's push-relabel for minimum-cost flow):
//! costs are multiplied by `n + 3` (more than the nodes, two working nodes included), a
//! feasible flow is found first (Dinic's maximum flow, which
//! also proves or disproves feasibility), then ε-optimality is tightened by a factor
//! [`ALPHA`] per phase until ε = 1, where a flow is optimal. Each phase saturates every arc
//! of negative reduced cost and pushes the resulting excesses along admissible arcs, lowering
//! node prices where no admissible arc is left. Negative costs, including cycles of negative
//! cost, need nothing special: capacities are finite, so such a cycle is simply saturated.
//! `docs/PLANNING.md` says why this method and not network simplex or successive shortest
//! paths.
//!
//! Everything is `i64`, and nothing wraps or panics. [`Network::solve`] refuses up front,
//! with [`FlowError::Overflow`], costs and capacities whose objective or scaled costs could
//! leave that range; prices only fall, and one that would fall below [`PRICE_FLOOR`] stops
//! the solve with the same error (far beyond what any measured instance comes near).

use std::collections::VecDeque;
use std::time::Instant;

/// How much ε shrinks per phase.
pub const ALPHA: i64 = 8;

/// The coarsest ε a phase is run at, in units of original cost. Correctness does not
/// depend on it: a phase makes any flow ε-optimal. Coarser phases did little useful work on
/// the transportation instances of the benchmark, where the whole solve took a third longer
/// with them (`docs/PLANNING.md`).
const FIRST_EPSILON_UNITS: i64 = 4;

/// The lowest a price may fall. With scaled costs at most `i64::MAX / 16`, a reduced cost
/// (a cost plus the difference of two prices) then always fits.
pub const PRICE_FLOOR: i64 = -(i64::MAX / 8);

/// How many relabels per node between two global price updates.
const UPDATE_EVERY: usize = 8;

/// How many discharges between two looks at the clock when a solve has a deadline: reading
/// the clock costs tens of nanoseconds, a discharge about as much.
const CLOCK_EVERY: usize = 4096;

/// An arc of one network, as [`Network::add_arc`] returned it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ArcId(usize);

impl ArcId {
    /// The arc's position: arcs are numbered from 0 in the order they were added.
    pub fn index(self) -> usize {
        self.0
    }
}

/// A network under construction: nodes `0..n` with supplies, and arcs between them.
/// Nothing is checked until [`Network::solve`], which reports every kind of bad input as a
/// [`FlowError`].
#[derive(Debug, Clone, Default)]
pub struct Network {
    supply: Vec<i64>,
    arcs: Vec<Arc>,
    /// The first node outside the network that [`Network::set_supply`] was given.
    stray_supply: Option<usize>,
}

/// One arc as given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Arc {
    pub tail: usize,
    pub head: usize,
    pub capacity: i64,
    pub cost: i64,
}

/// An optimal flow: the flow on each arc, in [`ArcId`] order, and its total cost.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flow {
    flow: Vec<i64>,
    cost: i64,
}

/// Why a network has no optimal flow, or could not be solved.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FlowError {
    #[error("arc {arc} refers to node {node}, but the network has {nodes} nodes")]
    UnknownNode {
        arc: usize,
        node: usize,
        nodes: usize,
    },
    #[error("a supply is set for node {node}, but the network has {nodes} nodes")]
    UnknownSupplyNode { node: usize, nodes: usize },
    #[error("arc {arc} has capacity {capacity}; capacities must be zero or more")]
    NegativeCapacity { arc: usize, capacity: i64 },
    #[error("supplies sum to {total}, not zero: every unit supplied must have a demand")]
    Unbalanced { total: i128 },
    #[error(
        "infeasible: only {routed} of the {required} units supplied can reach a demand within the capacities"
    )]
    Infeasible { routed: i64, required: i64 },
    #[error(
        "costs, capacities or supplies too large for 64-bit arithmetic (a negative-cost cycle of near-unbounded capacity has no finite optimum); scale them down"
    )]
    Overflow,
    #[error("the network has more than {limit} nodes or residual arcs")]
    TooLarge { limit: usize },
    /// The caller's deadline passed before the flow was optimal; no flow is returned, since
    /// one short of optimal is not what was asked for.
    #[error("the solve ran out of time before it found the optimal flow")]
    OutOfTime,
}

impl Network {
    /// A network of `nodes` nodes, all with supply zero, and no arcs.
    pub fn new(nodes: usize) -> Self {
        Self {
            supply: vec![0; nodes],
            arcs: Vec::new(),
            stray_supply: None,
        }
    }

    pub fn node_count(&self) -> usize {
        self.supply.len()
    }

    pub fn arc_count(&self) -> usize {
        self.arcs.len()
    }

    /// Adds a node with supply zero and returns its index.
    pub fn add_node(&mut self) -> usize {
        self.supply.push(0);
        self.supply.len() - 1
    }

    /// Sets what `node` supplies (positive) or demands (negative). A node outside the
    /// network makes [`Network::solve`] answer [`FlowError::UnknownSupplyNode`].
    pub fn set_supply(&mut self, node: usize, supply: i64) {
        match self.supply.get_mut(node) {
            Some(slot) => *slot = supply,
            None => {
                self.stray_supply.get_or_insert(node);
            }
        }
    }

    pub fn supply(&self, node: usize) -> i64 {
        self.supply.get(node).copied().unwrap_or(0)
    }

    /// Adds an arc from `tail` to `head` that carries at most `capacity` units at `cost`
    /// each.
    pub fn add_arc(&mut self, tail: usize, head: usize, capacity: i64, cost: i64) -> ArcId {
        self.arcs.push(Arc {
            tail,
            head,
            capacity,
            cost,
        });
        ArcId(self.arcs.len() - 1)
    }

    /// The arc as given; `id` must come from this network's [`Network::add_arc`].
    pub fn arc(&self, id: ArcId) -> Arc {
        self.arcs[id.0]
    }

    pub fn arcs(&self) -> &[Arc] {
        &self.arcs
    }

    /// The cheapest flow that meets every supply and demand within the capacities.
    pub fn solve(&self) -> Result<Flow, FlowError> {
        self.solve_until(None)
    }

    /// As [`Network::solve`], but gives up with [`FlowError::OutOfTime`] once `deadline`
    /// (when there is one) has passed: a server bounds the work one request may cost.
    pub fn solve_until(&self, deadline: Option<Instant>) -> Result<Flow, FlowError> {
        let scale = self.validate()?;
        let mut residual = Residual::build(self, scale)?;
        residual.deadline = deadline;
        residual.route_supplies()?;
        residual.cost_scaling()?;
        let flow: Vec<i64> = self
            .arcs
            .iter()
            .zip(&residual.forward)
            .map(|(arc, &pos)| arc.capacity - residual.arcs[pos as usize].capacity)
            .collect();
        let cost = self
            .arcs
            .iter()
            .zip(&flow)
            .map(|(arc, &units)| arc.cost * units)
            .sum();
        Ok(Flow { flow, cost })
    }

    /// Checks the input and returns the factor costs are scaled by.
    fn validate(&self) -> Result<i64, FlowError> {
        let nodes = self.supply.len();
        if let Some(node) = self.stray_supply {
            return Err(FlowError::UnknownSupplyNode { node, nodes });
        }
        let limit = (u32::MAX / 2) as usize;
        if nodes + 2 > limit || 2 * (self.arcs.len() + nodes) > limit {
            return Err(FlowError::TooLarge { limit });
        }
        let mut max_cost: i128 = 0;
        let mut objective_bound: i128 = 0;
        let mut capacity_total: i128 = 0;
        for (index, arc) in self.arcs.iter().enumerate() {
            for node in [arc.tail, arc.head] {
                if node >= nodes {
                    return Err(FlowError::UnknownNode {
                        arc: index,
                        node,
                        nodes,
                    });
                }
            }
            if arc.capacity < 0 {
                return Err(FlowError::NegativeCapacity {
                    arc: index,
                    capacity: arc.capacity,
                });
            }
            let cost = i128::from(arc.cost).abs();
            max_cost = max_cost.max(cost);
            objective_bound += cost * i128::from(arc.capacity);
            capacity_total += i128::from(arc.capacity);
        }
        let total: i128 = self.supply.iter().map(|&s| i128::from(s)).sum();
        if total != 0 {
            return Err(FlowError::Unbalanced { total });
        }
        let supplied: i128 = self
            .supply
            .iter()
            .filter(|&&s| s > 0)
            .map(|&s| i128::from(s))
            .sum();
        let scale = nodes as i128 + 3;
        let scaled_cost = max_cost * scale;
        let safe = i128::from(i64::MAX) / 4;
        if objective_bound > safe
            || capacity_total + supplied > safe
            || scaled_cost > i128::from(i64::MAX) / 16
        {
            return Err(FlowError::Overflow);
        }
        Ok(scale as i64)
    }
}

impl Flow {
    /// The units on `arc`.
    pub fn flow(&self, arc: ArcId) -> i64 {
        self.flow[arc.0]
    }

    /// The units on every arc, in [`ArcId`] order.
    pub fn flows(&self) -> &[i64] {
        &self.flow
    }

    /// The total cost: the sum of flow times cost over the arcs.
    pub fn cost(&self) -> i64 {
        self.cost
    }
}

/// The residual network in forward-star form: the arcs leaving node `u` are
/// `arcs[start[u]..start[u + 1]]`, each a [`ResidualArc`]. Two extra nodes, a super source
/// and a super sink, carry the supplies while a first feasible flow is found. Prices start
/// at zero and only fall; the reduced cost of an arc `u -> v` is
/// `cost + price[u] - price[v]`, and an arc is admissible when that is negative.
struct Residual {
    start: Vec<u32>,
    arcs: Vec<ResidualArc>,
    excess: Vec<i64>,
    price: Vec<i64>,
    /// Where each given arc sits in the residual arrays.
    forward: Vec<u32>,
    /// The super source's and super sink's arcs, removed once a feasible flow is found.
    terminal_arcs: Vec<u32>,
    source: u32,
    sink: u32,
    required: i64,
    relabels: usize,
    /// Set when a price would fall below [`PRICE_FLOOR`]; the solve then stops.
    below_floor: bool,
    /// The factor every cost was multiplied by.
    scale: i64,
    /// When the caller stops waiting; the phases look at the clock now and then.
    deadline: Option<Instant>,
    /// Set when the deadline passed; the solve then stops.
    out_of_time: bool,
}

/// A residual arc, with everything a scan reads side by side in memory.
#[derive(Clone, Copy, Default)]
struct ResidualArc {
    /// Scaled cost.
    cost: i64,
    /// Residual capacity.
    capacity: i64,
    head: u32,
    /// The arc that undoes this one.
    reverse: u32,
}

/// Work space of the global price update, allocated once per solve.
struct Scratch {
    distance: Vec<u32>,
    scanned: Vec<bool>,
    buckets: Vec<Vec<u32>>,
}

impl Residual {
    fn build(network: &Network, scale: i64) -> Result<Self, FlowError> {
        let nodes = network.supply.len();
        let (source, sink) = (nodes, nodes + 1);
        let total_nodes = nodes + 2;
        let mut ends: Vec<(usize, usize, i64, i64)> = network
            .arcs
            .iter()
            .map(|arc| (arc.tail, arc.head, arc.capacity, arc.cost))
            .collect();
        let mut required = 0;
        for (node, &supply) in network.supply.iter().enumerate() {
            if supply > 0 {
                ends.push((source, node, supply, 0));
                required += supply;
            } else if supply < 0 {
                ends.push((node, sink, -supply, 0));
            }
        }
        let mut degree = vec![0u32; total_nodes + 1];
        for &(tail, head, _, _) in &ends {
            degree[tail + 1] += 1;
            degree[head + 1] += 1;
        }
        for node in 0..total_nodes {
            degree[node + 1] += degree[node];
        }
        let start = degree;
        let arcs = 2 * ends.len();
        let mut next: Vec<u32> = start[..total_nodes].to_vec();
        let mut residual = vec![ResidualArc::default(); arcs];
        let mut positions = Vec::with_capacity(ends.len());
        for &(tail, to, cap, unit_cost) in &ends {
            let forward = next[tail];
            next[tail] += 1;
            let backward = next[to];
            next[to] += 1;
            let (f, b) = (forward as usize, backward as usize);
            residual[f] = ResidualArc {
                cost: unit_cost * scale,
                capacity: cap,
                head: to as u32,
                reverse: backward,
            };
            residual[b] = ResidualArc {
                cost: -unit_cost * scale,
                capacity: 0,
                head: tail as u32,
                reverse: forward,
            };
            positions.push(forward);
        }
        let terminal_arcs = positions.split_off(network.arcs.len());
        Ok(Self {
            start,
            arcs: residual,
            excess: vec![0; total_nodes],
            price: vec![0; total_nodes],
            forward: positions,
            terminal_arcs,
            source: source as u32,
            sink: sink as u32,
            required,
            relabels: 0,
            below_floor: false,
            scale,
            deadline: None,
            out_of_time: false,
        })
    }

    fn node_count(&self) -> usize {
        self.start.len() - 1
    }

    fn tail(&self, arc: usize) -> usize {
        self.arcs[self.arcs[arc].reverse as usize].head as usize
    }

    /// Whether the deadline has passed; remembered, so that every phase stops.
    fn late(&mut self) -> bool {
        if !self.out_of_time && self.deadline.is_some_and(|d| Instant::now() >= d) {
            self.out_of_time = true;
        }
        self.out_of_time
    }

    fn push(&mut self, arc: usize, units: i64) {
        let reverse = self.arcs[arc].reverse as usize;
        self.arcs[arc].capacity -= units;
        self.arcs[reverse].capacity += units;
    }

    /// Finds a flow that meets every supply (Dinic's maximum flow from the super source to
    /// the super sink), then removes the super source's and sink's arcs.
    fn route_supplies(&mut self) -> Result<(), FlowError> {
        let routed = self.max_flow();
        if self.out_of_time {
            return Err(FlowError::OutOfTime);
        }
        if routed < self.required {
            return Err(FlowError::Infeasible {
                routed,
                required: self.required,
            });
        }
        for &arc in &self.terminal_arcs {
            let arc = arc as usize;
            let back = self.arcs[arc].reverse as usize;
            self.arcs[arc].capacity = 0;
            self.arcs[back].capacity = 0;
        }
        Ok(())
    }

    fn max_flow(&mut self) -> i64 {
        let nodes = self.node_count();
        let (source, sink) = (self.source as usize, self.sink as usize);
        let mut level = vec![u32::MAX; nodes];
        let mut current = vec![0u32; nodes];
        let mut queue = VecDeque::new();
        let mut path: Vec<usize> = Vec::new();
        let mut routed = 0;
        loop {
            if self.late() {
                return routed;
            }
            level.fill(u32::MAX);
            level[source] = 0;
            queue.push_back(source);
            while let Some(u) = queue.pop_front() {
                for arc in self.start[u] as usize..self.start[u + 1] as usize {
                    let v = self.arcs[arc].head as usize;
                    if self.arcs[arc].capacity > 0 && level[v] == u32::MAX {
                        level[v] = level[u] + 1;
                        queue.push_back(v);
                    }
                }
            }
            if level[sink] == u32::MAX {
                return routed;
            }
            current.copy_from_slice(&self.start[..nodes]);
            // Blocking flow by depth-first search without recursion: `path` holds the arcs
            // from the source to `u`.
            let mut u = source;
            loop {
                if u == sink {
                    let units = path
                        .iter()
                        .map(|&arc| self.arcs[arc].capacity)
                        .min()
                        .unwrap_or(0);
                    for &arc in &path {
                        self.push(arc, units);
                    }
                    routed += units;
                    path.clear();
                    u = source;
                    continue;
                }
                let end = self.start[u + 1];
                let mut advanced = false;
                while current[u] < end {
                    let arc = current[u] as usize;
                    let v = self.arcs[arc].head as usize;
                    if self.arcs[arc].capacity > 0 && level[v] == level[u].wrapping_add(1) {
                        path.push(arc);
                        u = v;
                        advanced = true;
                        break;
                    }
                    current[u] += 1;
                }
                if !advanced {
                    if u == source {
                        break;
                    }
                    // A dead end: no path to the sink through `u` in this level graph.
                    level[u] = u32::MAX;
                    let Some(arc) = path.pop() else { break };
                    u = self.tail(arc);
                    current[u] += 1;
                }
            }
        }
    }

    /// Tightens the feasible flow to optimality: ε from the largest scaled cost, divided by
    /// [`ALPHA`] per phase, down to 1. Phases coarser than [`FIRST_EPSILON_UNITS`] units of
    /// original cost are skipped.
    fn cost_scaling(&mut self) -> Result<(), FlowError> {
        let max_cost = self.arcs.iter().map(|a| a.cost.abs()).max().unwrap_or(0);
        let mut epsilon = max_cost;
        while epsilon / ALPHA > FIRST_EPSILON_UNITS * self.scale {
            epsilon /= ALPHA;
        }
        let mut queue = VecDeque::new();
        let mut current = vec![0u32; self.node_count()];
        let mut scratch = Scratch {
            distance: vec![0; self.node_count()],
            scanned: vec![false; self.node_count()],
            buckets: Vec::new(),
        };
        while epsilon > 1 {
            epsilon = (epsilon / ALPHA).max(1);
            self.refine(epsilon, &mut queue, &mut current, &mut scratch);
            if self.below_floor {
                return Err(FlowError::Overflow);
            }
            if self.late() {
                return Err(FlowError::OutOfTime);
            }
            // Below one unit of original cost, the flow may already be optimal.
            if epsilon > 1 && epsilon < self.scale && self.proves_optimal() {
                break;
            }
        }
        Ok(())
    }

    /// Whether the flow is already optimal, shown by potentials under which no residual arc
    /// has a negative reduced cost in the original costs. The potentials start from the
    /// prices (rounded to original units) and are corrected Bellman-Ford style; a negative
    /// cycle would never settle, so the corrections stop after a budget of arc scans and
    /// the answer is then "not shown". Optimality often comes phases before ε reaches 1.
    fn proves_optimal(&self) -> bool {
        let nodes = self.node_count();
        let scale = self.scale;
        let mut potential: Vec<i64> = self.price.iter().map(|p| p.div_euclid(scale)).collect();
        let mut queued = vec![true; nodes];
        let mut queue: VecDeque<u32> = (0..nodes as u32).collect();
        let mut budget = 2 * self.arcs.len();
        while let Some(u) = queue.pop_front() {
            let u = u as usize;
            queued[u] = false;
            let (begin, end) = (self.start[u] as usize, self.start[u + 1] as usize);
            if end - begin > budget {
                return false;
            }
            budget -= end - begin;
            let pu = potential[u];
            for arc in begin..end {
                if self.arcs[arc].capacity > 0 {
                    let v = self.arcs[arc].head as usize;
                    let Some(reach) = pu.checked_add(self.arcs[arc].cost / scale) else {
                        return false;
                    };
                    if reach < potential[v] {
                        potential[v] = reach;
                        if !queued[v] {
                            queued[v] = true;
                            queue.push_back(v as u32);
                        }
                    }
                }
            }
        }
        true
    }

    /// Makes the flow ε-optimal: every residual arc's reduced cost at least -ε.
    fn refine(
        &mut self,
        epsilon: i64,
        queue: &mut VecDeque<u32>,
        current: &mut [u32],
        scratch: &mut Scratch,
    ) {
        let nodes = self.node_count();
        for u in 0..nodes {
            let pu = self.price[u];
            for arc in self.start[u] as usize..self.start[u + 1] as usize {
                let units = self.arcs[arc].capacity;
                if units > 0 {
                    let v = self.arcs[arc].head as usize;
                    if self.arcs[arc].cost + pu - self.price[v] < 0 {
                        self.push(arc, units);
                        self.excess[u] -= units;
                        self.excess[v] += units;
                    }
                }
            }
        }
        queue.extend((0..nodes as u32).filter(|&u| self.excess[u as usize] > 0));
        self.update_prices(epsilon, queue.len(), scratch);
        current.copy_from_slice(&self.start[..nodes]);
        let mut relabels_before = self.relabels;
        let mut discharges = 0usize;
        while let Some(u) = queue.pop_front() {
            if self.below_floor {
                return;
            }
            discharges += 1;
            if self.deadline.is_some() && discharges.is_multiple_of(CLOCK_EVERY) && self.late() {
                return;
            }
            if self.excess[u as usize] <= 0 {
                continue;
            }
            if self.relabels - relabels_before > UPDATE_EVERY * nodes {
                queue.push_front(u);
                let active = queue
                    .iter()
                    .filter(|&&v| self.excess[v as usize] > 0)
                    .count();
                self.update_prices(epsilon, active, scratch);
                current.copy_from_slice(&self.start[..nodes]);
                relabels_before = self.relabels;
                continue;
            }
            self.discharge(u as usize, epsilon, queue, current);
        }
    }

    /// The global price update: lowers every price by ε times the node's distance to the
    /// nearest deficit in the residual network, where an arc of reduced cost `rc` counts
    /// `⌊rc / ε⌋ + 1` (Dial's buckets, from the deficits backwards). Excess then flows
    /// towards deficits along admissible arcs instead of discovering them one relabel at a
    /// time. The new prices keep the flow ε-optimal: across any residual arc the distance
    /// drops by at most that arc's length. The search stops once every node with excess is
    /// reached; the nodes not reached get the distance reached so far, which keeps that
    /// property too.
    fn update_prices(&mut self, epsilon: i64, active: usize, scratch: &mut Scratch) {
        let nodes = self.node_count();
        let limit = nodes as u32 + 1;
        let Scratch {
            distance,
            scanned,
            buckets,
        } = scratch;
        distance.fill(u32::MAX);
        scanned.fill(false);
        for bucket in buckets.iter_mut() {
            bucket.clear();
        }
        if buckets.is_empty() {
            buckets.push(Vec::new());
        }
        for (v, (&excess, d)) in self.excess.iter().zip(distance.iter_mut()).enumerate() {
            if excess < 0 {
                *d = 0;
                buckets[0].push(v as u32);
            }
        }
        let mut remaining = active;
        let mut level = 0u32;
        'search: while remaining > 0 && level < limit && (level as usize) < buckets.len() {
            while let Some(w) = buckets[level as usize].pop() {
                let w = w as usize;
                if scanned[w] || distance[w] != level {
                    continue;
                }
                scanned[w] = true;
                if self.excess[w] > 0 {
                    remaining -= 1;
                    if remaining == 0 {
                        break 'search;
                    }
                }
                let pw = self.price[w];
                for arc in self.start[w] as usize..self.start[w + 1] as usize {
                    let back = self.arcs[arc].reverse as usize;
                    if self.arcs[back].capacity == 0 {
                        continue;
                    }
                    let v = self.arcs[arc].head as usize;
                    if scanned[v] {
                        continue;
                    }
                    let reduced = self.arcs[back].cost + self.price[v] - pw;
                    let length = reduced.div_euclid(epsilon) + 1;
                    let reach = i64::from(level) + length.max(0);
                    if reach < i64::from(distance[v].min(limit)) {
                        let reach = reach as u32;
                        distance[v] = reach;
                        if buckets.len() <= reach as usize {
                            buckets.resize_with(reach as usize + 1, Vec::new);
                        }
                        buckets[reach as usize].push(v as u32);
                    }
                }
            }
            level += 1;
        }
        for v in 0..nodes {
            let d = if scanned[v] { distance[v] } else { level };
            match i64::from(d)
                .checked_mul(epsilon)
                .and_then(|drop| self.price[v].checked_sub(drop))
                .filter(|&price| price >= PRICE_FLOOR)
            {
                Some(price) => self.price[v] = price,
                None => self.below_floor = true,
            }
        }
    }

    /// Pushes all of `u`'s excess along admissible arcs (negative reduced cost), lowering
    /// `u`'s price whenever none is left.
    fn discharge(
        &mut self,
        u: usize,
        epsilon: i64,
        queue: &mut VecDeque<u32>,
        current: &mut [u32],
    ) {
        let end = self.start[u + 1] as usize;
        while self.excess[u] > 0 && !self.below_floor {
            let pu = self.price[u];
            let mut arc = current[u] as usize;
            while arc < end {
                let room = self.arcs[arc].capacity;
                if room > 0 {
                    let v = self.arcs[arc].head as usize;
                    if self.arcs[arc].cost + pu - self.price[v] < 0 {
                        // Look ahead: excess pushed into a node that cannot pass it on
                        // would only come back, so such a node is relabelled first.
                        if self.excess[v] >= 0 && !self.has_admissible(v, current) {
                            self.relabel(v, epsilon, current);
                            if self.arcs[arc].cost + pu - self.price[v] >= 0 {
                                arc += 1;
                                continue;
                            }
                        }
                        let units = room.min(self.excess[u]);
                        self.push(arc, units);
                        self.excess[u] -= units;
                        let was_active = self.excess[v] > 0;
                        self.excess[v] += units;
                        if !was_active && self.excess[v] > 0 {
                            queue.push_back(v as u32);
                        }
                        if self.excess[u] == 0 {
                            break;
                        }
                    }
                }
                arc += 1;
            }
            current[u] = arc as u32;
            if self.excess[u] > 0 {
                self.relabel(u, epsilon, current);
            }
        }
    }

    /// Whether `v` has an admissible arc; if so, `current[v]` points at the first one.
    fn has_admissible(&self, v: usize, current: &mut [u32]) -> bool {
        let pv = self.price[v];
        let end = self.start[v + 1] as usize;
        let mut arc = current[v] as usize;
        while arc < end {
            if self.arcs[arc].capacity > 0
                && self.arcs[arc].cost + pv - self.price[self.arcs[arc].head as usize] < 0
            {
                current[v] = arc as u32;
                return true;
            }
            arc += 1;
        }
        current[v] = arc as u32;
        false
    }

    /// Lowers `u`'s price just enough to make its cheapest residual arc admissible, and
    /// points `current[u]` at the first such arc: no arc before it can be admissible.
    fn relabel(&mut self, u: usize, epsilon: i64, current: &mut [u32]) {
        let begin = self.start[u] as usize;
        let end = self.start[u + 1] as usize;
        let mut best = i64::MIN;
        let mut best_arc = begin;
        for arc in begin..end {
            if self.arcs[arc].capacity > 0 {
                let candidate = self.price[self.arcs[arc].head as usize] - self.arcs[arc].cost;
                if candidate > best {
                    best = candidate;
                    best_arc = arc;
                }
            }
        }
        // A node without residual arcs has nothing to make admissible (the look-ahead may
        // ask about one); a node with excess always has one, back where the excess came from.
        if best == i64::MIN {
            return;
        }
        let price = best - epsilon;
        if price < PRICE_FLOOR {
            self.below_floor = true;
            return;
        }
        self.price[u] = price;
        self.relabels += 1;
        current[u] = best_arc as u32;
    }
}
