//! Minimum-cost flow: a network of arcs with capacities and integer costs, node supplies,
//! and the cheapest flow that routes every supply to a demand.
//!
//! The method is cost scaling (Goldberg and Tarjan's push-relabel for minimum-cost flow):
//! costs are multiplied by `n + 1`, a feasible flow is found first (Dinic's maximum flow, which
//! also proves or disproves feasibility), then ε-optimality is tightened by a factor
//! [`ALPHA`] per phase until ε = 1, where a flow is optimal. Each phase saturates every arc
//! of negative reduced cost and pushes the resulting excesses along admissible arcs, lowering
//! node prices where no admissible arc is left. Negative costs, including cycles of negative
//! cost, need nothing special: capacities are finite, so such a cycle is simply saturated.
//! `docs/PLANNING.md` says why this method and not network simplex or successive shortest
//! paths.
//!
//! Everything is `i64`. [`Network::solve`] refuses up front, with [`FlowError::Overflow`],
//! any network whose costs, capacities and node count could overflow that range during the
//! solve or in the objective, so the arithmetic inside never wraps or panics.

use std::collections::VecDeque;

/// How much ε shrinks per phase.
pub const ALPHA: i64 = 8;

/// The index of an arc, in the order [`Network::add_arc`] returned it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ArcId(pub usize);

/// A network under construction: nodes `0..n` with supplies, and arcs between them.
/// Nothing is checked until [`Network::solve`], which reports every kind of bad input as a
/// [`FlowError`].
#[derive(Debug, Clone, Default)]
pub struct Network {
    supply: Vec<i64>,
    arcs: Vec<Arc>,
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
}

impl Network {
    /// A network of `nodes` nodes, all with supply zero, and no arcs.
    pub fn new(nodes: usize) -> Self {
        Self {
            supply: vec![0; nodes],
            arcs: Vec::new(),
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

    /// Sets what `node` supplies (positive) or demands (negative). Out-of-range nodes are
    /// ignored here and can only come from a bug in the caller, so they are not an error
    /// path of their own: the node count is fixed by [`Network::new`] and [`Network::add_node`].
    pub fn set_supply(&mut self, node: usize, supply: i64) {
        if let Some(slot) = self.supply.get_mut(node) {
            *slot = supply;
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

    pub fn arc(&self, id: ArcId) -> Arc {
        self.arcs[id.0]
    }

    pub fn arcs(&self) -> &[Arc] {
        &self.arcs
    }

    /// The cheapest flow that meets every supply and demand within the capacities.
    pub fn solve(&self) -> Result<Flow, FlowError> {
        let scale = self.validate()?;
        let mut residual = Residual::build(self, scale)?;
        residual.route_supplies()?;
        residual.cost_scaling();
        let flow: Vec<i64> = self
            .arcs
            .iter()
            .zip(&residual.forward)
            .map(|(arc, &pos)| arc.capacity - residual.capacity[pos as usize])
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
        // Prices fall by at most about 3nε per phase, and ε shrinks geometrically from the
        // largest scaled cost, so 8n times that cost bounds every price; reduced costs add
        // two prices and a cost.
        let scale = nodes as i128 + 3;
        let scaled_cost = max_cost * scale;
        let price_bound = 8 * (nodes as i128 + 2) * scaled_cost.max(1);
        let safe = i128::from(i64::MAX) / 4;
        if objective_bound > safe
            || capacity_total + supplied > safe
            || scaled_cost + 2 * price_bound > safe
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
/// `start[u]..start[u + 1]`, each stored next to what a scan needs (head, residual capacity,
/// scaled cost), and `reverse[a]` is the arc that undoes `a`. Two extra nodes, a super
/// source and a super sink, carry the supplies while a first feasible flow is found.
struct Residual {
    start: Vec<u32>,
    head: Vec<u32>,
    reverse: Vec<u32>,
    capacity: Vec<i64>,
    cost: Vec<i64>,
    excess: Vec<i64>,
    price: Vec<i64>,
    /// Where each given arc sits in the residual arrays.
    forward: Vec<u32>,
    /// The super source's and super sink's arcs, removed once a feasible flow is found.
    terminal_arcs: Vec<u32>,
    source: u32,
    sink: u32,
    required: i64,
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
        let mut head = vec![0u32; arcs];
        let mut reverse = vec![0u32; arcs];
        let mut capacity = vec![0i64; arcs];
        let mut cost = vec![0i64; arcs];
        let mut positions = Vec::with_capacity(ends.len());
        for &(tail, to, cap, unit_cost) in &ends {
            let forward = next[tail];
            next[tail] += 1;
            let backward = next[to];
            next[to] += 1;
            let (f, b) = (forward as usize, backward as usize);
            head[f] = to as u32;
            head[b] = tail as u32;
            reverse[f] = backward;
            reverse[b] = forward;
            capacity[f] = cap;
            cost[f] = unit_cost * scale;
            cost[b] = -unit_cost * scale;
            positions.push(forward);
        }
        let terminal_arcs = positions.split_off(network.arcs.len());
        Ok(Self {
            start,
            head,
            reverse,
            capacity,
            cost,
            excess: vec![0; total_nodes],
            price: vec![0; total_nodes],
            forward: positions,
            terminal_arcs,
            source: source as u32,
            sink: sink as u32,
            required,
        })
    }

    fn node_count(&self) -> usize {
        self.start.len() - 1
    }

    fn tail(&self, arc: usize) -> usize {
        self.head[self.reverse[arc] as usize] as usize
    }

    fn push(&mut self, arc: usize, units: i64) {
        self.capacity[arc] -= units;
        self.capacity[self.reverse[arc] as usize] += units;
    }

    /// Finds a flow that meets every supply (Dinic's maximum flow from the super source to
    /// the super sink), then removes the super source's and sink's arcs.
    fn route_supplies(&mut self) -> Result<(), FlowError> {
        let routed = self.max_flow();
        if routed < self.required {
            return Err(FlowError::Infeasible {
                routed,
                required: self.required,
            });
        }
        for &arc in &self.terminal_arcs {
            let arc = arc as usize;
            let back = self.reverse[arc] as usize;
            self.capacity[arc] = 0;
            self.capacity[back] = 0;
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
            level.fill(u32::MAX);
            level[source] = 0;
            queue.push_back(source);
            while let Some(u) = queue.pop_front() {
                for arc in self.start[u] as usize..self.start[u + 1] as usize {
                    let v = self.head[arc] as usize;
                    if self.capacity[arc] > 0 && level[v] == u32::MAX {
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
                        .map(|&arc| self.capacity[arc])
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
                    let v = self.head[arc] as usize;
                    if self.capacity[arc] > 0 && level[v] == level[u].wrapping_add(1) {
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

    /// Tightens the feasible flow to optimality: ε from the largest scaled cost down to 1.
    fn cost_scaling(&mut self) {
        let max_cost = self.cost.iter().map(|c| c.abs()).max().unwrap_or(0);
        let mut epsilon = max_cost;
        let mut queue = VecDeque::new();
        let mut current = vec![0u32; self.node_count()];
        while epsilon > 1 {
            epsilon = (epsilon / ALPHA).max(1);
            self.refine(epsilon, &mut queue, &mut current);
        }
    }

    /// Makes the flow ε-optimal: every residual arc's reduced cost at least -ε.
    fn refine(&mut self, epsilon: i64, queue: &mut VecDeque<u32>, current: &mut [u32]) {
        let nodes = self.node_count();
        for u in 0..nodes {
            let pu = self.price[u];
            for arc in self.start[u] as usize..self.start[u + 1] as usize {
                let units = self.capacity[arc];
                if units > 0 {
                    let v = self.head[arc] as usize;
                    if self.cost[arc] + pu - self.price[v] < 0 {
                        self.push(arc, units);
                        self.excess[u] -= units;
                        self.excess[v] += units;
                    }
                }
            }
        }
        current.copy_from_slice(&self.start[..nodes]);
        queue.extend((0..nodes as u32).filter(|&u| self.excess[u as usize] > 0));
        while let Some(u) = queue.pop_front() {
            self.discharge(u as usize, epsilon, queue, current);
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
        while self.excess[u] > 0 {
            let pu = self.price[u];
            let mut arc = current[u] as usize;
            while arc < end {
                let room = self.capacity[arc];
                if room > 0 {
                    let v = self.head[arc] as usize;
                    if self.cost[arc] + pu - self.price[v] < 0 {
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

    /// Lowers `u`'s price just enough to make its cheapest residual arc admissible, and
    /// points `current[u]` at the first such arc: no arc before it can be admissible.
    fn relabel(&mut self, u: usize, epsilon: i64, current: &mut [u32]) {
        let begin = self.start[u] as usize;
        let end = self.start[u + 1] as usize;
        let mut best = i64::MIN;
        let mut best_arc = begin;
        for arc in begin..end {
            if self.capacity[arc] > 0 {
                let candidate = self.price[self.head[arc] as usize] - self.cost[arc];
                if candidate > best {
                    best = candidate;
                    best_arc = arc;
                }
            }
        }
        // A node with excess always has a residual arc back towards where the excess came
        // from; `best` stays at its floor only if that invariant is broken.
        debug_assert!(best > i64::MIN, "a node with excess has no residual arc");
        self.price[u] = best.saturating_sub(epsilon);
        current[u] = best_arc as u32;
    }
}
