//===- MpiMemoryEffects.cpp - memory effects of the mpi dialect -----------===//
//
// MLIR 22.1's point-to-point and collective mpi ops declare no memory
// effects, so ownership-based buffer deallocation refuses any function that
// contains them ("ops with unknown memory side effects are not supported")
// and nothing stops a transformation from moving a buffer's reuse across a
// transfer. These external models state what the ops do: a send reads its
// buffer, a receive writes its buffer, an all-reduce reads one and writes
// the other, and a wait completes a transfer (it writes the default
// resource, so it is never removed or reordered with other memory effects).
//
//===----------------------------------------------------------------------===//

#include "attn/Transforms/Transforms.h"

#include "mlir/Dialect/MPI/IR/MPI.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

using namespace mlir;

namespace {

template <typename OpTy>
struct MpiEffects
    : MemoryEffectOpInterface::ExternalModel<MpiEffects<OpTy>, OpTy> {
  void
  getEffects(Operation *op,
             SmallVectorImpl<SideEffects::EffectInstance<MemoryEffects::Effect>>
                 &effects) const {
    auto concrete = cast<OpTy>(op);
    if constexpr (std::is_same_v<OpTy, mpi::SendOp> ||
                  std::is_same_v<OpTy, mpi::ISendOp>) {
      effects.emplace_back(MemoryEffects::Read::get(),
                           &concrete.getRefMutable());
    } else if constexpr (std::is_same_v<OpTy, mpi::RecvOp> ||
                         std::is_same_v<OpTy, mpi::IRecvOp>) {
      effects.emplace_back(MemoryEffects::Write::get(),
                           &concrete.getRefMutable());
    } else if constexpr (std::is_same_v<OpTy, mpi::AllReduceOp>) {
      effects.emplace_back(MemoryEffects::Read::get(),
                           &concrete.getSendbufMutable());
      effects.emplace_back(MemoryEffects::Write::get(),
                           &concrete.getRecvbufMutable());
    }
    // Every one of them also talks to the MPI library.
    effects.emplace_back(MemoryEffects::Write::get());
  }
};

} // namespace

void mlir::attn::registerMpiMemoryEffectModels(DialectRegistry &registry) {
  registry.addExtension(+[](MLIRContext *ctx, mpi::MPIDialect *) {
    mpi::SendOp::attachInterface<MpiEffects<mpi::SendOp>>(*ctx);
    mpi::ISendOp::attachInterface<MpiEffects<mpi::ISendOp>>(*ctx);
    mpi::RecvOp::attachInterface<MpiEffects<mpi::RecvOp>>(*ctx);
    mpi::IRecvOp::attachInterface<MpiEffects<mpi::IRecvOp>>(*ctx);
    mpi::AllReduceOp::attachInterface<MpiEffects<mpi::AllReduceOp>>(*ctx);
    mpi::Wait::attachInterface<MpiEffects<mpi::Wait>>(*ctx);
  });
}
