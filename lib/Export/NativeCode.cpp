//===- NativeCode.cpp - Target machine, LLVM IR, object, shared library ---===//
//
// The native end of the CPU path, shared by attn-compile and the JIT of
// attn-run: one target machine (and one answer to "how wide are the vector
// registers"), one translation to LLVM IR (with the `memrefCopy` the memref
// lowering calls defined in the module), -O3, object emission and linking
// into a shared library.
//
//===----------------------------------------------------------------------===//

#include "attn/Export/Export.h"

#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/Target/LLVMIR/Export.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/IR/Module.h"
#include "llvm/IR/Verifier.h"
#include "llvm/MC/MCSubtargetInfo.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Target/TargetMachine.h"
#include "llvm/Target/TargetOptions.h"
#include "llvm/TargetParser/Host.h"
#include "llvm/TargetParser/Triple.h"

using namespace mlir;
using namespace mlir::attn;

static llvm::Error makeError(const Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

StringRef mlir::attn::getOpenMPLibraryPath() { return ATTN_LIBOMP; }

std::string mlir::attn::getCudaRuntimeLibraryPath() {
  std::string executable = llvm::sys::fs::getMainExecutable(
      nullptr, reinterpret_cast<void *>(&getCudaRuntimeLibraryPath));
  SmallString<256> path(llvm::sys::path::parent_path(
      llvm::sys::path::parent_path(executable)));
  llvm::sys::path::append(path, "lib", "libAttnCudaRuntime.so");
  return std::string(path);
}

StringRef mlir::attn::getRunnerUtilsLibraryPath() {
  return ATTN_MLIR_C_RUNNER_UTILS;
}

static std::unique_ptr<llvm::TargetMachine>
createMachine(const llvm::Target &target, const llvm::Triple &triple,
              StringRef cpu, StringRef features) {
  llvm::TargetOptions options;
  return std::unique_ptr<llvm::TargetMachine>(target.createTargetMachine(
      triple, cpu, features, options, llvm::Reloc::PIC_, std::nullopt,
      llvm::CodeGenOptLevel::Aggressive));
}

std::unique_ptr<llvm::TargetMachine>
mlir::attn::createTargetMachine(const CpuTarget &target) {
  return createMachine(target.machine->getTarget(),
                       target.machine->getTargetTriple(), target.cpu,
                       target.features);
}

llvm::Expected<CpuTarget> mlir::attn::createCpuTarget(StringRef cpuName) {
  llvm::InitializeNativeTarget();
  llvm::InitializeNativeTargetAsmPrinter();
  llvm::Triple triple(llvm::sys::getProcessTriple());
  std::string error;
  const llvm::Target *llvmTarget =
      llvm::TargetRegistry::lookupTarget(triple, error);
  if (!llvmTarget)
    return makeError(error);
  CpuTarget choice;
  if (cpuName == "native") {
    choice.cpu = llvm::sys::getHostCPUName().str();
    SmallVector<std::string> features;
    for (const auto &feature : llvm::sys::getHostCPUFeatures())
      features.push_back((feature.second ? "+" : "-") + feature.first().str());
    llvm::sort(features);
    choice.features = llvm::join(features, ",");
  } else if (cpuName == "x86-64-v3" || cpuName == "x86-64-v4") {
    if (triple.getArch() != llvm::Triple::x86_64)
      return makeError("--cpu=" + cpuName + " needs an x86-64 host, this is " +
                       triple.str());
    choice.cpu = cpuName.str();
  } else {
    return makeError("unknown --cpu '" + cpuName +
                     "': expected native, x86-64-v3 or x86-64-v4");
  }
  choice.machine = createMachine(*llvmTarget, triple, choice.cpu,
                                 choice.features);
  if (!choice.machine)
    return makeError("cannot create a target machine for " + triple.str() +
                     " cpu " + choice.cpu);
  const llvm::MCSubtargetInfo *sti = choice.machine->getMCSubtargetInfo();
  if (triple.isX86()) {
    if (sti->checkFeatures("+avx512f"))
      choice.vectorBits = 512;
    else if (sti->checkFeatures("+avx2,+fma"))
      choice.vectorBits = 256;
  }
  return choice;
}

/// Gives the `memrefCopy` that the memref lowering calls for copies between
/// strided memrefs a body in the module (internal), so that the library does
/// not need libmlir_c_runner_utils. Its ABI is that of CRunnerUtils:
///   void memrefCopy(i64 elemSize, {i64 rank, ptr desc} *src, ... *dst)
/// where desc is {ptr allocated, ptr aligned, i64 offset, i64 sizes[rank],
/// i64 strides[rank]}. Elements are visited in row-major order with an index
/// counter, one memcpy of elemSize bytes each.
static void defineMemrefCopy(llvm::Module &module) {
  llvm::Function *fn = module.getFunction("memrefCopy");
  if (!fn || !fn->isDeclaration() || fn->arg_size() != 3)
    return;
  llvm::LLVMContext &ctx = module.getContext();
  fn->setLinkage(llvm::GlobalValue::InternalLinkage);
  llvm::Type *i64 = llvm::Type::getInt64Ty(ctx);
  llvm::Type *i8 = llvm::Type::getInt8Ty(ctx);
  llvm::Type *ptr = llvm::PointerType::getUnqual(ctx);
  auto *entry = llvm::BasicBlock::Create(ctx, "entry", fn);
  auto *countHead = llvm::BasicBlock::Create(ctx, "count", fn);
  auto *countBody = llvm::BasicBlock::Create(ctx, "count.body", fn);
  auto *copyStart = llvm::BasicBlock::Create(ctx, "copy.start", fn);
  auto *copy = llvm::BasicBlock::Create(ctx, "copy", fn);
  auto *bump = llvm::BasicBlock::Create(ctx, "bump", fn);
  auto *bumpBody = llvm::BasicBlock::Create(ctx, "bump.body", fn);
  auto *carry = llvm::BasicBlock::Create(ctx, "carry", fn);
  auto *next = llvm::BasicBlock::Create(ctx, "next", fn);
  auto *done = llvm::BasicBlock::Create(ctx, "done", fn);
  llvm::IRBuilder<> b(entry);
  llvm::Value *elemSize = fn->getArg(0);
  llvm::Value *srcArg = fn->getArg(1), *dstArg = fn->getArg(2);
  auto field = [&](llvm::Value *base, llvm::Value *index) {
    return b.CreateGEP(i64, base, index);
  };
  llvm::Value *rank = b.CreateLoad(i64, srcArg);
  llvm::Value *srcDesc = b.CreateLoad(ptr, b.CreateConstGEP1_64(i8, srcArg, 8));
  llvm::Value *dstDesc = b.CreateLoad(ptr, b.CreateConstGEP1_64(i8, dstArg, 8));
  llvm::Value *srcBase = b.CreateLoad(ptr, b.CreateConstGEP1_64(i8, srcDesc, 8));
  llvm::Value *dstBase = b.CreateLoad(ptr, b.CreateConstGEP1_64(i8, dstDesc, 8));
  llvm::Value *srcOffset0 = b.CreateLoad(i64, field(srcDesc, b.getInt64(2)));
  llvm::Value *dstOffset0 = b.CreateLoad(i64, field(dstDesc, b.getInt64(2)));
  // sizes at word 3, strides at word 3 + rank.
  auto sizeOf = [&](llvm::Value *d) {
    return b.CreateLoad(i64, field(srcDesc, b.CreateAdd(d, b.getInt64(3))));
  };
  auto strideOf = [&](llvm::Value *desc, llvm::Value *d) {
    return b.CreateLoad(
        i64, field(desc, b.CreateAdd(b.CreateAdd(d, rank), b.getInt64(3))));
  };
  llvm::Value *lastDim = b.CreateSub(rank, b.getInt64(1));
  llvm::Value *counters = b.CreateAlloca(i64, rank);
  b.CreateMemSet(counters, b.getInt8(0), b.CreateMul(rank, b.getInt64(8)),
                 llvm::MaybeAlign(8));
  b.CreateBr(countHead);

  // Nothing to copy when a size is 0.
  b.SetInsertPoint(countHead);
  llvm::PHINode *d0 = b.CreatePHI(i64, 2);
  d0->addIncoming(b.getInt64(0), entry);
  b.CreateCondBr(b.CreateICmpSLT(d0, rank), countBody, copyStart);
  b.SetInsertPoint(countBody);
  d0->addIncoming(b.CreateAdd(d0, b.getInt64(1)), countBody);
  b.CreateCondBr(b.CreateICmpEQ(sizeOf(d0), b.getInt64(0)), done, countHead);
  b.SetInsertPoint(copyStart);
  b.CreateBr(copy);

  // One element, then the counters move on like an odometer.
  b.SetInsertPoint(copy);
  llvm::PHINode *srcOffset = b.CreatePHI(i64, 2);
  llvm::PHINode *dstOffset = b.CreatePHI(i64, 2);
  srcOffset->addIncoming(srcOffset0, copyStart);
  dstOffset->addIncoming(dstOffset0, copyStart);
  b.CreateMemCpy(b.CreateGEP(i8, dstBase, b.CreateMul(dstOffset, elemSize)),
                 llvm::MaybeAlign(1),
                 b.CreateGEP(i8, srcBase, b.CreateMul(srcOffset, elemSize)),
                 llvm::MaybeAlign(1), elemSize);
  b.CreateBr(bump);

  b.SetInsertPoint(bump);
  llvm::PHINode *d = b.CreatePHI(i64, 2);
  llvm::PHINode *srcCur = b.CreatePHI(i64, 2);
  llvm::PHINode *dstCur = b.CreatePHI(i64, 2);
  d->addIncoming(lastDim, copy);
  srcCur->addIncoming(srcOffset, copy);
  dstCur->addIncoming(dstOffset, copy);
  b.CreateCondBr(b.CreateICmpSLT(d, b.getInt64(0)), done, bumpBody);

  b.SetInsertPoint(bumpBody);
  llvm::Value *counterPtr = field(counters, d);
  llvm::Value *counter = b.CreateAdd(b.CreateLoad(i64, counterPtr),
                                     b.getInt64(1));
  llvm::Value *size = sizeOf(d);
  llvm::Value *srcStride = strideOf(srcDesc, d);
  llvm::Value *dstStride = strideOf(dstDesc, d);
  b.CreateCondBr(b.CreateICmpSLT(counter, size), next, carry);

  b.SetInsertPoint(next);
  b.CreateStore(counter, counterPtr);
  srcOffset->addIncoming(b.CreateAdd(srcCur, srcStride), next);
  dstOffset->addIncoming(b.CreateAdd(dstCur, dstStride), next);
  b.CreateBr(copy);

  b.SetInsertPoint(carry);
  b.CreateStore(b.getInt64(0), counterPtr);
  llvm::Value *back = b.CreateSub(size, b.getInt64(1));
  d->addIncoming(b.CreateSub(d, b.getInt64(1)), carry);
  srcCur->addIncoming(b.CreateSub(srcCur, b.CreateMul(back, srcStride)),
                      carry);
  dstCur->addIncoming(b.CreateSub(dstCur, b.CreateMul(back, dstStride)),
                      carry);
  b.CreateBr(bump);

  b.SetInsertPoint(done);
  b.CreateRetVoid();
}

llvm::Expected<std::unique_ptr<llvm::Module>>
mlir::attn::translateForTarget(ModuleOp module, llvm::LLVMContext &llvmContext,
                               const CpuTarget &target, StringRef moduleName) {
  std::unique_ptr<llvm::Module> llvmModule =
      translateModuleToLLVMIR(module, llvmContext, moduleName);
  if (!llvmModule)
    return makeError("translation to LLVM IR failed");
  llvmModule->setDataLayout(target.machine->createDataLayout());
  llvmModule->setTargetTriple(target.machine->getTargetTriple());
  defineMemrefCopy(*llvmModule);
  for (llvm::Function &f : *llvmModule) {
    if (f.isDeclaration())
      continue;
    f.addFnAttr("target-cpu", target.cpu);
    if (!target.features.empty())
      f.addFnAttr("target-features", target.features);
  }
  std::string message;
  llvm::raw_string_ostream os(message);
  if (llvm::verifyModule(*llvmModule, &os))
    return makeError("internal error: invalid LLVM IR: " + message);
  return llvmModule;
}

llvm::Error mlir::attn::optimizeModule(llvm::Module &llvmModule,
                                       const CpuTarget &target) {
  auto transformer = makeOptimizingTransformer(/*optLevel=*/3,
                                               /*sizeLevel=*/0,
                                               target.machine.get());
  if (llvm::Error err = transformer(&llvmModule))
    return makeError("LLVM optimisation failed: " +
                     llvm::toString(std::move(err)));
  return llvm::Error::success();
}

bool mlir::attn::usesRunnerUtils(const llvm::Module &llvmModule) {
  for (const llvm::Function &f : llvmModule)
    if (f.isDeclaration() && !f.use_empty() &&
        (f.getName() == "memrefCopy" || f.getName().starts_with("_mlir_")))
      return true;
  return false;
}

llvm::Error mlir::attn::writeObjectFile(llvm::Module &llvmModule,
                                        const CpuTarget &target,
                                        StringRef path) {
  std::error_code ec;
  llvm::ToolOutputFile out(path, ec, llvm::sys::fs::OF_None);
  if (ec)
    return makeError("cannot write '" + path + "': " + ec.message());
  llvm::legacy::PassManager codegen;
  if (target.machine->addPassesToEmitFile(codegen, out.os(), nullptr,
                                          llvm::CodeGenFileType::ObjectFile))
    return makeError("the target cannot emit object files");
  codegen.run(llvmModule);
  out.keep();
  return llvm::Error::success();
}

llvm::Error mlir::attn::linkSharedLibrary(StringRef objPath, StringRef soPath,
                                          bool withOpenMP,
                                          bool withRunnerUtils,
                                          ArrayRef<std::string> extraLibraries) {
  std::string driver;
  for (StringRef name : {"clang-22", "clang", "cc", "gcc"}) {
    if (llvm::ErrorOr<std::string> path = llvm::sys::findProgramByName(name)) {
      driver = *path;
      break;
    }
  }
  if (driver.empty())
    return makeError("no C compiler driver (clang-22, clang, cc, gcc) on PATH "
                     "to link '" + soPath + "'; '" + objPath +
                     "' was written");
  SmallVector<std::string> args = {driver, "-shared", "-o", soPath.str(),
                                   objPath.str(), "-Wl,--no-undefined"};
  auto addLibrary = [&](StringRef lib) {
    args.push_back(lib.str());
    args.push_back("-Wl,-rpath," + llvm::sys::path::parent_path(lib).str());
  };
  if (withOpenMP)
    addLibrary(getOpenMPLibraryPath());
  if (withRunnerUtils)
    addLibrary(getRunnerUtilsLibraryPath());
  for (const std::string &library : extraLibraries)
    addLibrary(library);
  // Libraries copied next to the kernel library are found there too.
  if (!extraLibraries.empty())
    args.push_back("-Wl,-rpath,$ORIGIN");
  args.push_back("-lm");
  SmallVector<StringRef> argRefs(args.begin(), args.end());
  std::string error;
  int rc = llvm::sys::ExecuteAndWait(driver, argRefs, std::nullopt, {}, 0, 0,
                                     &error);
  if (rc != 0)
    return makeError("linking '" + soPath + "' with '" + driver + "' failed" +
                     (error.empty() ? "" : ": " + error));
  return llvm::Error::success();
}
